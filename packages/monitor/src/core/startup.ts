// Rebuilds the monitor's state when it starts: host states from the status file (else what the agent
// remembers, else AWAITING_RECOVERY as MMM), roles as stored or as the agents hold them, and the
// writer by MMM's vote. A restart in steady state must move no role.
import type { CoreConfig } from './config.js';
import { emptyAssignments, newHostRecord } from './draft.js';
import type { StoredStatus } from './status-file.js';
import type { HostRecord, HostState, MonitorState, Outcome, Role, RoleAssignment } from './types.js';

/** GET_AGENT_STATUS reply (null = agent unreachable). */
export interface AgentStatus {
  readonly state: HostState;
  readonly roles: readonly Role[];
  readonly master: string;
}

/** GET_SYSTEM_STATUS reply (null = agent unreachable). */
export interface SystemStatus {
  readonly writable: boolean;
  /** Role IPs found on the interface. */
  readonly roles: readonly Role[];
  /** Replication source IP ('' when none). */
  readonly masterIp: string;
}

export interface WriterVote {
  readonly host: string;
  readonly score: number;
}

/** MMM's vote for the writer: writable +4, VIP on the interface +2, stored +1, agent +1, each slave
 * replicating from it +1. Highest score wins; ties go to the stored holder, then config order. */
export function voteWriter(
  stored: StoredStatus,
  agents: Readonly<Record<string, AgentStatus | null>>,
  systems: Readonly<Record<string, SystemStatus | null>>,
  cfg: CoreConfig,
): WriterVote[] {
  const role = cfg.roles[cfg.activeMasterRole];
  if (role === undefined) return [];
  const has = (roles: readonly Role[] | undefined): boolean => (roles ?? []).some((r) => r.name === cfg.activeMasterRole);
  const votes = role.hosts.map((h) => {
    const sys = systems[h] ?? null;
    let score = 0;
    if (sys?.writable === true) score += 4;
    if (sys !== null && sys.roles.some((r) => role.ips.includes(r.ip))) score += 2;
    if (has(stored[h]?.roles)) score += 1;
    if (has(agents[h]?.roles)) score += 1;
    const ip = cfg.hosts[h]?.ip;
    for (const s of cfg.hostNames) {
      if (cfg.hosts[s]?.mode === 'slave' && ip !== undefined && systems[s]?.masterIp === ip) score += 1;
    }
    return { host: h, score, storedTie: has(stored[h]?.roles) ? 1 : 0 };
  });
  return votes
    .filter((v) => v.score > 0)
    .sort((a, b) => b.score - a.score || b.storedTie - a.storedTie)
    .map(({ host, score }) => ({ host, score }));
}

function hostStateAtStart(h: string, stored: StoredStatus, agents: Readonly<Record<string, AgentStatus | null>>): HostState {
  const s = stored[h]?.state;
  if (s !== undefined && s !== 'UNKNOWN') return s;
  const a = agents[h]?.state;
  if (a !== undefined && a !== 'UNKNOWN') return a;
  return 'AWAITING_RECOVERY';
}

/** The state the first decide() starts from, and what startup concluded. */
export function startup(
  stored: StoredStatus,
  agents: Readonly<Record<string, AgentStatus | null>>,
  systems: Readonly<Record<string, SystemStatus | null>>,
  cfg: CoreConfig,
  now: number,
): { readonly state: MonitorState; readonly outcome: Outcome } {
  const hosts: Record<string, HostRecord> = {};
  for (const h of cfg.hostNames) {
    hosts[h] = { ...newHostRecord(hostStateAtStart(h, stored, agents), now), agentDown: agents[h] === null || agents[h] === undefined };
  }
  const writerIps = cfg.roles[cfg.activeMasterRole]?.ips ?? [];
  const holdingWriterIp = cfg.hostNames.filter((h) => (systems[h]?.roles ?? []).some((r) => writerIps.includes(r.ip)));
  const votes = voteWriter(stored, agents, systems, cfg);
  const writer = votes[0]?.host ?? '';
  const roles: RoleAssignment[] = emptyAssignments(cfg).map((a) => {
    if (a.role === cfg.activeMasterRole) return { ...a, host: writer !== '' && hosts[writer]?.state === 'ONLINE' ? writer : '' };
    const fromStored = cfg.hostNames.find((h) => (stored[h]?.roles ?? []).some((r) => r.name === a.role && r.ip === a.ip));
    const fromAgent = cfg.hostNames.find((h) => (agents[h]?.roles ?? []).some((r) => r.name === a.role && r.ip === a.ip));
    const h = fromStored ?? fromAgent ?? '';
    const ok = h !== '' && hosts[h]?.state === 'ONLINE' && (cfg.roles[a.role]?.hosts ?? []).includes(h);
    return { ...a, host: ok ? h : '' };
  });
  const careful = cfg.carefulStartup && holdingWriterIp.length > 1;
  const passiveReason = careful
    ? `Writer IP found on more than one host (${holdingWriterIp.join(', ')}); fix roles with set_ip, then set_active.`
    : '';
  const state: MonitorState = Object.freeze({
    mode: careful ? 'PASSIVE' : cfg.initialMode,
    modeSince: now,
    passiveReason: careful ? passiveReason : cfg.initialMode === 'PASSIVE' ? 'Configured mode is passive.' : '',
    hosts: Object.freeze(hosts),
    roles: Object.freeze(roles),
    activeMaster: writer,
    failover: null,
  });
  const voteText = votes.map((v) => `${v.host}=${v.score}`).join(', ') || 'no votes';
  const outcome: Outcome = careful
    ? { code: 'STARTUP_PASSIVE', sentence: `startup: going PASSIVE. ${passiveReason} (writer vote: ${voteText})` }
    : { code: 'STARTUP_RESTORED', sentence: `startup: ${writer === '' ? 'no writer found' : `${writer} is the writer`} (writer vote: ${voteText})` };
  return { state, outcome };
}
