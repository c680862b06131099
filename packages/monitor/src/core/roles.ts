// Role placement as MMM does it (orphans, preferences, balancing), on plain data. The writer
// (active master role) is never placed here: it moves only through the failover path (failover.ts).
import type { CoreConfig } from './config.js';
import type { CoreEvent, Role, RoleAssignment } from './types.js';

/** Whether a host may take a role now: ONLINE and its agent reachable (MMM's eligibility). */
export type HostEligible = (host: string) => boolean;

/** The roles a host holds, sorted by `name(ip)` as MMM sends them. */
export function rolesOf(assignments: readonly RoleAssignment[], host: string): Role[] {
  return assignments
    .filter((a) => a.host === host)
    .map((a) => ({ name: a.role, ip: a.ip }))
    .sort((a, b) => {
      const x = `${a.name}(${a.ip})`;
      const y = `${b.name}(${b.ip})`;
      return x < y ? -1 : x > y ? 1 : 0;
    });
}

/** MMM's role count: every role IP counts 1, the active master role 0.5. */
export function roleWeight(assignments: readonly RoleAssignment[], host: string, cfg: CoreConfig): number {
  let n = 0;
  for (const a of assignments) if (a.host === host) n += a.role === cfg.activeMasterRole ? 0.5 : 1;
  return n;
}

/** The host that should take an orphaned IP of `role`: `prefer` if eligible, else the fewest roles. */
export function findEligibleHost(
  role: string,
  assignments: readonly RoleAssignment[],
  eligible: HostEligible,
  cfg: CoreConfig,
): string | null {
  const r = cfg.roles[role];
  if (r === undefined) return null;
  if (r.prefer !== null && eligible(r.prefer)) return r.prefer;
  let best: string | null = null;
  let bestCount = 0;
  for (const h of r.hosts) {
    if (!eligible(h)) continue;
    const c = roleWeight(assignments, h, cfg);
    if (best === null || c < bestCount) {
      best = h;
      bestCount = c;
    }
  }
  return best;
}

interface Placed {
  readonly assignments: RoleAssignment[];
  readonly events: CoreEvent[];
}

function move(p: Placed, index: number, to: string): void {
  const a = p.assignments[index];
  if (a === undefined || a.host === to) return;
  p.events.push({ event: 'role.moved', role: a.role, ip: a.ip, from: a.host, to });
  p.assignments[index] = { ...a, host: to };
}

/** Removes every role from hosts that may not hold them (not ONLINE); returns the new list. */
export function clearRoles(assignments: readonly RoleAssignment[], keep: (host: string, role: string) => boolean): Placed {
  const p: Placed = { assignments: [...assignments], events: [] };
  p.assignments.forEach((a, i) => {
    if (a.host !== '' && !keep(a.host, a.role)) move(p, i, '');
  });
  return p;
}

/** One placement pass in MMM's order: orphans (exclusive, then balanced), preferences, balance. */
export function placeRoles(
  assignments: readonly RoleAssignment[],
  eligible: HostEligible,
  cfg: CoreConfig,
  opts: { readonly obeyPreferences: boolean },
): Placed {
  const p: Placed = { assignments: [...assignments], events: [] };
  const placeable = (role: string): boolean => role !== cfg.activeMasterRole && cfg.roles[role] !== undefined;
  for (const mode of ['exclusive', 'balanced'] as const) {
    p.assignments.forEach((a, i) => {
      if (a.host !== '' || !placeable(a.role) || cfg.roles[a.role]?.mode !== mode) return;
      const h = findEligibleHost(a.role, p.assignments, eligible, cfg);
      if (h !== null) move(p, i, h);
    });
  }
  if (opts.obeyPreferences) {
    p.assignments.forEach((a, i) => {
      const r = cfg.roles[a.role];
      if (!placeable(a.role) || r?.mode !== 'exclusive' || r.prefer === null) return;
      if (a.host !== r.prefer && eligible(r.prefer)) move(p, i, r.prefer);
    });
  }
  for (const name of cfg.roleNames) {
    const r = cfg.roles[name];
    if (r?.mode !== 'balanced' || !placeable(name)) continue;
    const hosts = r.hosts.filter(eligible);
    if (hosts.length < 2) continue;
    for (;;) {
      const counts = hosts.map((h) => ({ h, c: roleWeight(p.assignments, h, cfg) }));
      let max = counts[0];
      let min = counts[0];
      for (const x of counts) {
        if (max === undefined || x.c > max.c) max = x;
        if (min === undefined || x.c < min.c) min = x;
      }
      if (max === undefined || min === undefined || max.c - min.c <= 1) break;
      const idx = p.assignments.findIndex((a) => a.role === name && a.host === max.h);
      if (idx < 0) break;
      move(p, idx, min.h);
    }
  }
  return p;
}
