// SET_STATUS for every host every tick (MMM's heartbeat), ordered in phases: hosts giving roles up
// first, then hosts gaining roles (the new writer: it catches up with sync_with_master before it
// opens writes), then the rest — replicas learn the new master only once it has caught up and taken
// the role (MMM repointed them before, and the VIP waited behind every replica's repoint).
import type { Draft } from './draft.js';
import { rolesOf } from './roles.js';
import type { AgentCommand, RoleAssignment } from './types.js';
import type { WriterPlan } from './writer.js';

const key = (a: RoleAssignment): string => `${a.role}(${a.ip})`;

/** The commands of one tick; none in PASSIVE mode (MMM sends nothing then). */
export function buildCommands(d: Draft, before: readonly RoleAssignment[], plan: WriterPlan): AgentCommand[] {
  if (d.mode === 'PASSIVE') return [];
  const out: AgentCommand[] = [];
  for (const h of d.cfg.hostNames) {
    const rec = d.hosts[h];
    if (rec === undefined) continue;
    const roles = rolesOf(d.roles, h);
    const base = { host: h, state: rec.state, roles, master: d.activeMaster };
    if (h === plan.releaseHost && h !== plan.promoteHost) {
      out.push({ ...base, master: '', phase: 1, critical: plan.releaseCritical, purpose: 'release' });
      continue;
    }
    if (h === plan.promoteHost) {
      out.push({ ...base, phase: 2, critical: true, purpose: 'promote' });
      continue;
    }
    const had = new Set(before.filter((a) => a.host === h).map(key));
    const has = new Set(d.roles.filter((a) => a.host === h).map(key));
    const lost = [...had].some((k) => !has.has(k));
    const gained = [...has].some((k) => !had.has(k));
    const phase = lost ? 1 : gained ? 2 : 3;
    out.push({ ...base, phase, critical: false, purpose: plan.masterChanged && phase === 3 ? 'repoint' : 'heartbeat' });
  }
  return out.sort((a, b) => a.phase - b.phase || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}
