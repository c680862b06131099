// A whole MMM-TS cluster on the rig, as a user runs it: real MariaDB hosts, an authenticated agent
// per host, one mmm-monitor, hosts brought ONLINE the way an operator does after a first start.
// The fault suite and the benchmarks both stand on it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRig, type Rig } from '../rig/index.js';
import { startAgents, type AgentProcs } from './agent-procs.js';
import { startMonitorProc, type MonitorProc } from './monitor-proc.js';
import { eventually } from './eventually.js';

export interface ClusterOptions {
  readonly prefix: string;
  readonly subnet: number;
  readonly hosts?: number;
  /** YAML appended to the rig's config (e.g. `fencing:` or `checks:` sections). */
  readonly extraYaml?: string;
  /** `monitor.http` (host:port, e.g. the bridge IP) for the HTTP status API; off when absent. */
  readonly monitorHttp?: string;
  /** `monitor.failover_block` [0s here, so suites that fail over repeatedly are not held back; the product default is 1h]. */
  readonly failoverBlock?: string;
}

export interface Cluster {
  readonly rig: Rig;
  readonly agents: AgentProcs;
  readonly secret: string;
  readonly configPath: string;
  monitor: MonitorProc;
  /** `show` parsed: host -> { state, roles }. */
  show(): Promise<Record<string, { state: string; roles: string[] }>>;
  /** The host holding the writer role according to the monitor ('' if none). */
  writer(): Promise<string>;
  /** Waits until `host` is the writer in `show`, holds the VIP and is writable. */
  waitWriter(host: string, timeoutMs?: number): Promise<void>;
  restartMonitor(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  destroy(): Promise<void>;
}

const SHOW_RE = /^\s*(\S+)\(([0-9.]+)\) (\w+)\/([A-Z_]+)\. Roles: ?(.*)$/;

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const rig = await createRig({ prefix: opts.prefix, subnet: opts.subnet, hosts: opts.hosts ?? 3 });
  const secret = `cluster-secret-${opts.prefix}`;
  let agents: AgentProcs | null = null;
  let monitor: MonitorProc | null = null;
  try {
    const yamlOpts = { secret, failoverBlock: opts.failoverBlock ?? '0s', ...(opts.extraYaml !== undefined ? { extra: opts.extraYaml } : {}) };
    // `monitor:` is already in the rig's YAML, so extraYaml cannot add a key to it.
    const monitorKeys = opts.monitorHttp === undefined ? [] : [`  http: ${JSON.stringify(opts.monitorHttp)}`];
    const scriptOwnsVip = /master_ip_failover_script/.test(opts.extraYaml ?? '');
    const configPath = join(rig.baseDir, 'mmm.yaml');
    await writeFile(configPath, rig.clusterYaml(yamlOpts).replace('monitor:\n', `monitor:\n${monitorKeys.join('\n')}\n`), { mode: 0o600 });
    agents = await startAgents(rig, { configPath, secret });
    monitor = await startMonitorProc(rig, configPath);
    const c: Cluster = {
      rig, agents, secret, configPath, monitor,
      async show() {
        const text = await c.monitor.control('show', 5_000);
        const out: Record<string, { state: string; roles: string[] }> = {};
        for (const line of text.split('\n')) {
          const m = SHOW_RE.exec(line);
          if (m?.[1] !== undefined && m[4] !== undefined) out[m[1]] = { state: m[4], roles: (m[5] ?? '').split(', ').filter((r) => r !== '') };
        }
        return out;
      },
      async writer() {
        const s = await c.show();
        return Object.entries(s).find(([, h]) => h.roles.some((r) => r.startsWith('writer(')))?.[0] ?? '';
      },
      async waitWriter(host, timeoutMs = 20_000) {
        await eventually(async () => {
          const w = await c.writer();
          // With master_ip_failover_script the script, not the agent, moves the writer VIP.
          const vip = scriptOwnsVip || (await rig.hasVip(host, rig.writerVip));
          const ro = String((await rig.sql(host, 'SELECT @@read_only AS ro'))[0]?.['ro']);
          return `${w}/${String(vip)}/${ro}`;
        }, (v) => v === `${host}/true/0`, { timeoutMs, intervalMs: 50 });
      },
      async restartMonitor(signal = 'SIGTERM') {
        await c.monitor.stop(signal);
        c.monitor = await startMonitorProc(rig, configPath, { logName: `monitor-${Date.now()}.log` });
      },
      async destroy() {
        await c.monitor.stop('SIGKILL').catch(() => undefined);
        await agents?.stopAll();
        await rig.destroy();
      },
    };
    // A first start leaves every host AWAITING_RECOVERY (MMM's rule): an operator sets them online,
    // the writer's host first.
    await eventually(() => c.show(), (s) => rig.hosts.every((h) => s[h.name] !== undefined && s[h.name]?.state !== 'UNKNOWN'), { timeoutMs: 15_000, intervalMs: 100 });
    for (const h of rig.hosts) {
      const st = (await c.show())[h.name]?.state;
      if (st === 'AWAITING_RECOVERY') await c.monitor.control(`set_online ${h.name}`, 10_000);
    }
    await eventually(() => c.show(), (s) => rig.hosts.every((h) => s[h.name]?.state === 'ONLINE'), { timeoutMs: 20_000, intervalMs: 100 });
    await c.waitWriter('db1');
    return c;
  } catch (e) {
    await monitor?.stop('SIGKILL').catch(() => undefined);
    await agents?.stopAll();
    await rig.destroy();
    throw e;
  }
}
