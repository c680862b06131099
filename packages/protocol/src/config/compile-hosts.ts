// `host_defaults` and `hosts`: each host is its defaults overlaid with its own keys. Values that
// failed validation are replaced by placeholders; the caller discards the result when any problem exists.
import type { HostConfig } from './types.js';
import type { Offset } from './problem.js';
import { DEFAULTS } from './defaults.js';
import { checkName, missing, present, readEnum, readIPv4, readMap, readPort, readString } from './reader.js';
import type { Entry, Fields, ReadContext } from './reader.js';
import type { SecretReader } from './secrets.js';

const PASSWORDS = ['agent_password', 'monitor_password', 'replication_password'] as const;
export const HOST_DEFAULT_KEYS = [
  'agent_port', 'mysql_port', 'interface', 'agent_user', 'monitor_user', 'replication_user',
  ...PASSWORDS, ...PASSWORDS.map((k) => `${k}_file`),
] as const;
const HOST_KEYS = ['ip', 'mode', 'peer', ...HOST_DEFAULT_KEYS] as const;

/** Where each host's reference-bearing values are, for the cross-checks. */
export interface HostPlaces {
  readonly keyAt: Offset;
  readonly ipAt: Offset;
  readonly peerAt: Offset;
}

export interface CompiledHosts {
  readonly hosts: Record<string, HostConfig>;
  readonly places: Map<string, HostPlaces>;
  /** Where the `hosts` key is (or the file start), for problems about the whole section. */
  readonly at: Offset;
}

type Settings = Omit<HostConfig, 'name' | 'ip' | 'mode' | 'peer'>;
type Partial_<T> = { -readonly [K in keyof T]?: T[K] };

/** Reads the host_defaults-style keys present in `f`. */
function readSettings(ctx: ReadContext, f: Fields, secrets: SecretReader): Partial_<Settings> {
  const s: Partial_<Settings> = {};
  s.agentPort = readPort(ctx, f.get('agent_port'));
  s.mysqlPort = readPort(ctx, f.get('mysql_port'));
  s.interface = readString(ctx, f.get('interface'));
  s.agentUser = readString(ctx, f.get('agent_user'));
  s.monitorUser = readString(ctx, f.get('monitor_user'));
  s.replicationUser = readString(ctx, f.get('replication_user'));
  if (secrets.has(f, 'agent_password')) s.agentPassword = secrets.read(f, 'agent_password') ?? '';
  if (secrets.has(f, 'monitor_password')) s.monitorPassword = secrets.read(f, 'monitor_password') ?? '';
  if (secrets.has(f, 'replication_password')) s.replicationPassword = secrets.read(f, 'replication_password') ?? '';
  return s;
}

/** Compiles `hosts` with `host_defaults` merged into each. */
export function compileHosts(ctx: ReadContext, root: Fields, secrets: SecretReader): CompiledHosts {
  const hostsEntry = root.get('hosts');
  const at = hostsEntry?.keyAt ?? 0;
  const hosts: Record<string, HostConfig> = {};
  const places = new Map<string, HostPlaces>();
  const defaultsFields = readMap(ctx, root.get('host_defaults'), HOST_DEFAULT_KEYS, 'host_defaults') ?? new Map<string, Entry>();
  const defaults = readSettings(ctx, defaultsFields, secrets);

  if (!present(hostsEntry)) {
    missing(ctx, hostsEntry?.keyAt ?? 0, 'hosts', ': list the database hosts under `hosts:`');
    return { hosts, places, at };
  }
  const byName = readMap(ctx, hostsEntry, null, 'hosts');
  if (byName === undefined) return { hosts, places, at };
  if (byName.size === 0) ctx.problems.add(hostsEntry.at, 'CONFIG_MISSING_KEY', '`hosts` must define at least one host');

  for (const [name, e] of byName) {
    checkName(ctx, e.keyAt, 'host', name);
    const f = readMap(ctx, e, HOST_KEYS, `hosts.${name}`) ?? new Map<string, Entry>();
    const own = readSettings(ctx, f, secrets);
    const ip = readIPv4(ctx, f.get('ip'));
    if (!present(f.get('ip'))) missing(ctx, e.keyAt, `hosts.${name}.ip`);
    const mode = readEnum(ctx, f.get('mode'), ['master', 'slave'] as const);
    if (!present(f.get('mode'))) missing(ctx, e.keyAt, `hosts.${name}.mode`, ' (master or slave)');
    const peer = readString(ctx, f.get('peer')) ?? null;
    const merged = { ...stripUndefined(defaults), ...stripUndefined(own) };
    for (const [field, key] of [['agentPassword', 'agent_password'], ['monitorPassword', 'monitor_password'], ['replicationPassword', 'replication_password']] as const) {
      if (merged[field] === undefined) {
        missing(ctx, e.keyAt, `hosts.${name}.${key}`, ` (set \`${key}\` or \`${key}_file\` in host_defaults or in the host)`);
      }
    }
    hosts[name] = {
      name,
      ip: ip ?? '',
      mode: mode ?? 'slave',
      peer,
      agentPort: merged.agentPort ?? DEFAULTS.host.agentPort,
      mysqlPort: merged.mysqlPort ?? DEFAULTS.host.mysqlPort,
      interface: merged.interface ?? DEFAULTS.host.interface,
      agentUser: merged.agentUser ?? DEFAULTS.host.agentUser,
      agentPassword: merged.agentPassword ?? '',
      monitorUser: merged.monitorUser ?? DEFAULTS.host.monitorUser,
      monitorPassword: merged.monitorPassword ?? '',
      replicationUser: merged.replicationUser ?? DEFAULTS.host.replicationUser,
      replicationPassword: merged.replicationPassword ?? '',
    };
    places.set(name, { keyAt: e.keyAt, ipAt: f.get('ip')?.at ?? e.keyAt, peerAt: f.get('peer')?.at ?? e.keyAt });
  }
  return { hosts, places, at };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
