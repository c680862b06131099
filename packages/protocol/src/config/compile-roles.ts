// `roles`: which hosts may hold which virtual IPs. References to hosts are checked later, once all
// hosts are known (see references.ts).
import type { RoleConfig } from './types.js';
import type { Offset } from './problem.js';
import { checkName, missing, present, readEnum, readIPv4, readList, readMap, readString } from './reader.js';
import type { Entry, Fields, ReadContext } from './reader.js';

const ROLE_KEYS = ['mode', 'hosts', 'ips', 'prefer'] as const;

export interface RolePlaces {
  readonly keyAt: Offset;
  /** Position of each listed host name, in order (only the valid ones). */
  readonly hostsAt: readonly { readonly name: string; readonly at: Offset }[];
  readonly ipsAt: readonly { readonly ip: string; readonly at: Offset }[];
  readonly ipsListAt: Offset;
  readonly preferAt: Offset;
}

export interface CompiledRoles {
  readonly roles: Record<string, RoleConfig>;
  readonly roleNames: string[];
  readonly places: Map<string, RolePlaces>;
}

/** Compiles `roles` (each needs a mode, at least one host and at least one IP). */
export function compileRoles(ctx: ReadContext, root: Fields): CompiledRoles {
  const roles: Record<string, RoleConfig> = {};
  const roleNames: string[] = [];
  const places = new Map<string, RolePlaces>();
  const rolesEntry = root.get('roles');
  const byName = readMap(ctx, rolesEntry, null, 'roles');
  if (byName === undefined) return { roles, roleNames, places };

  for (const [name, e] of byName) {
    checkName(ctx, e.keyAt, 'role', name);
    const f = readMap(ctx, e, ROLE_KEYS, `roles.${name}`) ?? new Map<string, Entry>();
    const mode = readEnum(ctx, f.get('mode'), ['exclusive', 'balanced'] as const);
    if (!present(f.get('mode'))) missing(ctx, e.keyAt, `roles.${name}.mode`, ' (exclusive or balanced)');

    const hostsAt: { name: string; at: Offset }[] = [];
    const hostItems = readList(ctx, f.get('hosts'), 'db1, db2');
    if (!present(f.get('hosts'))) missing(ctx, e.keyAt, `roles.${name}.hosts`);
    else if (hostItems?.length === 0) ctx.problems.add(f.get('hosts')?.at ?? e.keyAt, 'CONFIG_BAD_ROLE', `role ${name} must list at least one host`);
    for (const item of hostItems ?? []) {
      const h = readString(ctx, item);
      if (h === undefined) continue;
      if (hostsAt.some((x) => x.name === h)) {
        ctx.problems.add(item.at, 'CONFIG_BAD_ROLE', `role ${name} lists host ${h} twice`, JSON.stringify(h));
        continue;
      }
      hostsAt.push({ name: h, at: item.at });
    }

    const ipsAt: { ip: string; at: Offset }[] = [];
    const ipItems = readList(ctx, f.get('ips'), '10.0.0.50');
    if (!present(f.get('ips'))) missing(ctx, e.keyAt, `roles.${name}.ips`);
    for (const item of ipItems ?? []) {
      const ip = readIPv4(ctx, item);
      if (ip !== undefined) ipsAt.push({ ip, at: item.at });
    }
    const ipsListAt = f.get('ips')?.at ?? e.keyAt;
    if (mode === 'exclusive' && ipItems !== undefined && ipItems.length !== 1) {
      ctx.problems.add(ipsListAt, 'CONFIG_BAD_ROLE', `exclusive role ${name} must have exactly one IP`, `${ipItems.length} IPs`);
    } else if (mode === 'balanced' && ipItems?.length === 0) {
      ctx.problems.add(ipsListAt, 'CONFIG_BAD_ROLE', `role ${name} must have at least one IP`);
    }

    const prefer = readString(ctx, f.get('prefer')) ?? null;
    roles[name] = { name, mode: mode ?? 'balanced', hosts: hostsAt.map((x) => x.name), ips: ipsAt.map((x) => x.ip), prefer };
    roleNames.push(name);
    places.set(name, { keyAt: e.keyAt, hostsAt, ipsAt, ipsListAt, preferAt: f.get('prefer')?.at ?? e.keyAt });
  }
  return { roles, roleNames, places };
}
