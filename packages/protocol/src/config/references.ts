// Cross-checks that need the whole file: peers, role hosts, `prefer`, the active master role, and
// that no IP address is used twice.
import type { HostConfig, RoleConfig } from './types.js';
import type { Offset } from './problem.js';
import type { ReadContext } from './reader.js';
import type { HostPlaces } from './compile-hosts.js';
import type { RolePlaces } from './compile-roles.js';

export interface ReferenceInput {
  readonly hosts: Record<string, HostConfig>;
  readonly hostPlaces: Map<string, HostPlaces>;
  readonly roles: Record<string, RoleConfig>;
  readonly rolePlaces: Map<string, RolePlaces>;
  readonly activeMasterRole: string;
  /** Where `active_master_role` is written, or where `roles` starts when it is left to its default. */
  readonly activeMasterRoleAt: Offset;
}

/** Peers name an existing master other than the host itself, and point back. */
function checkPeers(ctx: ReadContext, r: ReferenceInput): void {
  for (const [name, h] of Object.entries(r.hosts)) {
    if (h.peer === null) continue;
    const at = r.hostPlaces.get(name)?.peerAt ?? 0;
    const peer = r.hosts[h.peer];
    const got = JSON.stringify(h.peer);
    if (h.mode !== 'master') {
      ctx.problems.add(at, 'CONFIG_BAD_REFERENCE', `host ${name} is a slave: only masters have a peer`, got);
    } else if (peer === undefined) {
      ctx.problems.add(at, 'CONFIG_UNKNOWN_HOST', `\`hosts.${name}.peer\` names no host defined under \`hosts\``, got);
    } else if (h.peer === name) {
      ctx.problems.add(at, 'CONFIG_BAD_REFERENCE', `host ${name} cannot be its own peer`, got);
    } else if (peer.mode !== 'master') {
      ctx.problems.add(at, 'CONFIG_BAD_REFERENCE', `the peer of ${name} must be a master, but ${h.peer} is a slave`, got);
    } else if (peer.peer !== null && peer.peer !== name) {
      ctx.problems.add(at, 'CONFIG_BAD_REFERENCE', `the peer of ${name} is ${h.peer}, but ${h.peer}'s peer is ${peer.peer}: master peers must point at each other`, got);
    }
  }
}

/** Role hosts exist, `prefer` is one of them, the active master role is an exclusive role of masters. */
function checkRoles(ctx: ReadContext, r: ReferenceInput): void {
  for (const [name, role] of Object.entries(r.roles)) {
    const places = r.rolePlaces.get(name);
    for (const h of places?.hostsAt ?? []) {
      if (r.hosts[h.name] === undefined) {
        ctx.problems.add(h.at, 'CONFIG_UNKNOWN_HOST', `role ${name} lists a host not defined under \`hosts\``, JSON.stringify(h.name));
      }
    }
    if (role.prefer !== null && !role.hosts.includes(role.prefer)) {
      ctx.problems.add(places?.preferAt ?? 0, 'CONFIG_BAD_REFERENCE', `\`roles.${name}.prefer\` must be one of the role's hosts (${role.hosts.join(', ')})`, JSON.stringify(role.prefer));
    }
  }
  const amr = r.activeMasterRole;
  const role = r.roles[amr];
  if (role === undefined) {
    ctx.problems.add(r.activeMasterRoleAt, 'CONFIG_UNKNOWN_ROLE', `active_master_role names no role defined under \`roles\` (define an exclusive role "${amr}" or set active_master_role)`, JSON.stringify(amr));
    return;
  }
  if (role.mode !== 'exclusive') {
    ctx.problems.add(r.activeMasterRoleAt, 'CONFIG_BAD_REFERENCE', `active_master_role must name an exclusive role, but ${amr} is balanced`, JSON.stringify(amr));
  }
  for (const h of r.rolePlaces.get(amr)?.hostsAt ?? []) {
    const host = r.hosts[h.name];
    if (host !== undefined && host.mode !== 'master') {
      ctx.problems.add(h.at, 'CONFIG_BAD_REFERENCE', `${amr} is the active master role: its hosts must be masters, but ${h.name} is a slave`, JSON.stringify(h.name));
    }
  }
}

/** Every host IP and role IP appears once. */
function checkDuplicateIps(ctx: ReadContext, r: ReferenceInput): void {
  const seen = new Map<string, { owner: string; at: Offset }>();
  const use = (ip: string, owner: string, at: Offset): void => {
    if (ip === '') return;
    const first = seen.get(ip);
    if (first === undefined) {
      seen.set(ip, { owner, at });
      return;
    }
    const pos = ctx.problems.lines?.linePos(first.at);
    const where = pos !== undefined ? ` at line ${pos.line}` : '';
    ctx.problems.add(at, 'CONFIG_DUPLICATE_IP', `${owner} uses an IP already used by ${first.owner}${where}`, JSON.stringify(ip));
  };
  for (const [name, places] of r.hostPlaces) use(r.hosts[name]?.ip ?? '', `host ${name}`, places.ipAt);
  for (const [name, places] of r.rolePlaces) for (const x of places.ipsAt) use(x.ip, `role ${name}`, x.at);
}

/** Runs every cross-check, recording problems in ctx. */
export function checkReferences(ctx: ReadContext, r: ReferenceInput): void {
  checkPeers(ctx, r);
  checkRoles(ctx, r);
  checkDuplicateIps(ctx, r);
}
