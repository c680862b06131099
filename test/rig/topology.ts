// The rig's plan as pure data: names, addresses, server ids and who replicates from whom, computed
// from the options alone so it can be checked without root and shared by create, sweep and the CLI.
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RigError } from './errors.js';

/** One DB host as planned. */
export interface HostPlan {
  readonly name: string;
  readonly index: number;
  readonly ip: string;
  readonly ns: string;
  readonly veth: string;
  readonly mode: 'master' | 'slave';
  readonly peer: string | null;
  readonly source: string;
  readonly serverId: number;
  readonly dir: string;
  readonly datadir: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly errorLog: string;
  readonly stdoutLog: string;
}

/** Everything about a rig that follows from (prefix, subnet, hosts, baseDir). */
export interface RigPlan {
  readonly prefix: string;
  readonly subnet: number;
  readonly baseDir: string;
  readonly bridge: string;
  readonly bridgeIp: string;
  readonly clientNs: string;
  readonly clientVeth: string;
  readonly clientIp: string;
  readonly writerVip: string;
  readonly readerVips: readonly string[];
  readonly hosts: readonly HostPlan[];
  readonly stateFile: string;
}

export const DEFAULT_HOSTS = 3;
export const MAX_HOSTS = 20;
const PREFIX_RE = /^[a-z0-9]{1,5}$/;

/** Where a rig keeps its files unless told otherwise: tmpfs when there is one (halves bring-up time). */
export function defaultBaseDir(prefix: string): string {
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return join(root, `mmm-rig-${prefix}`);
}

/** Checks the options and returns a sentence naming the first bad one, or null. */
export function checkOptions(prefix: string, subnet: number, hosts: number): string | null {
  if (!PREFIX_RE.test(prefix)) return `prefix must be 1-5 characters of [a-z0-9], got ${JSON.stringify(prefix)}`;
  if (!Number.isInteger(subnet) || subnet < 0 || subnet > 255) return `subnet must be an integer 0-255, got ${String(subnet)}`;
  if (!Number.isInteger(hosts) || hosts < 2 || hosts > MAX_HOSTS) return `hosts must be an integer 2-${MAX_HOSTS}, got ${String(hosts)}`;
  return null;
}

/** Builds the plan; throws RIG_BAD_OPTIONS on invalid options. */
export function planRig(opts: { prefix: string; subnet: number; hosts?: number; baseDir?: string }): RigPlan {
  const hostCount = opts.hosts ?? DEFAULT_HOSTS;
  const bad = checkOptions(opts.prefix, opts.subnet, hostCount);
  if (bad !== null) throw new RigError('RIG_BAD_OPTIONS', bad);
  const { prefix, subnet } = opts;
  const baseDir = opts.baseDir ?? defaultBaseDir(prefix);
  const net = `10.200.${subnet}`;
  const hosts: HostPlan[] = [];
  for (let i = 1; i <= hostCount; i++) {
    const name = `db${i}`;
    const dir = join(baseDir, name);
    const master = i <= 2;
    hosts.push({
      name,
      index: i,
      ip: `${net}.${10 + i}`,
      ns: `${prefix}-${name}`,
      veth: `${prefix}-${name}`,
      mode: master ? 'master' : 'slave',
      peer: i === 1 ? 'db2' : i === 2 ? 'db1' : null,
      source: i === 1 ? 'db2' : 'db1',
      // Unique across rigs too, so a stray cross-rig connection shows up as a wrong server id.
      serverId: subnet * 100 + i,
      dir,
      datadir: join(dir, 'data'),
      socket: join(dir, 'mysqld.sock'),
      pidFile: join(dir, 'mysqld.pid'),
      errorLog: join(dir, 'error.log'),
      stdoutLog: join(dir, 'mariadbd.out'),
    });
  }
  return {
    prefix,
    subnet,
    baseDir,
    bridge: `${prefix}br`,
    bridgeIp: `${net}.1`,
    clientNs: `${prefix}-cl`,
    clientVeth: `${prefix}-cl`,
    clientIp: `${net}.200`,
    writerVip: `${net}.100`,
    readerVips: hosts.map((_, i) => `${net}.${101 + i}`),
    hosts,
    stateFile: join(baseDir, 'rig.json'),
  };
}

/** True when a namespace or root link name belongs to the rig with this prefix. */
export function ownsName(prefix: string, name: string): boolean {
  return name === `${prefix}br` || name.startsWith(`${prefix}-`);
}
