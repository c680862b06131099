// Every field of a SET_STATUS from the wire is checked against the config before anything runs:
// a role must be defined, with one of its IPs, for a role this host may hold; the master a host.
import type { Role } from '@mmm-ts/protocol';
import type { ClusterConfig } from '@mmm-ts/protocol/config';

/** Why `role` may not be held by `host`, or null when it may. */
export function roleProblem(cfg: ClusterConfig, host: string, role: Role): string | null {
  const def = cfg.roles[role.name];
  if (def === undefined) return `unknown role '${role.name}'`;
  if (!def.ips.includes(role.ip)) return `IP ${role.ip} is not an IP of role '${role.name}'`;
  if (!def.hosts.includes(host)) return `host ${host} may not hold role '${role.name}'`;
  return null;
}

/** Why `master` is not an acceptable active master name (empty is "none"), or null. */
export function masterProblem(cfg: ClusterConfig, master: string): string | null {
  if (master === '') return null;
  const h = cfg.hosts[master];
  if (h === undefined) return `unknown active master '${master}'`;
  if (h.mode !== 'master') return `active master '${master}' is not a master host`;
  return null;
}

/** Roles this host may hold whose IP is `ip` (the reverse lookup used when adopting addresses). */
export function rolesForIp(cfg: ClusterConfig, host: string, ip: string): Role[] {
  const out: Role[] = [];
  for (const name of cfg.roleNames) {
    const def = cfg.roles[name];
    if (def !== undefined && def.hosts.includes(host) && def.ips.includes(ip)) out.push({ name, ip });
  }
  return out;
}
