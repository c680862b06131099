// Steady-state cost of a healthy 3-host cluster: CPU and RSS of the mmm-monitor process and of each
// mmm-agent process, idle and while a client writes through the VIP, read from /proc.
import { startCluster, type Cluster } from '../cluster.js';
import { startWriteClient } from '../write-client.js';
import { findPids, measureProcs, type ProcCost } from './proc-stats.js';

export interface SteadyPhase {
  /** What ran during the window. */
  readonly load: 'idle' | 'writes';
  readonly windowMs: number;
  /** Per process: `monitor`, `agent-db1`, …. */
  readonly procs: Record<string, ProcCost>;
  /** Writes acknowledged during the window (write phase only). */
  readonly writesAcked?: number;
}

export interface SteadyResult {
  readonly completed: boolean;
  readonly error?: string;
  readonly hosts: number;
  /** The monitor and agents log at this level in the harness (it affects their CPU). */
  readonly logLevel: string;
  readonly phases: SteadyPhase[];
}

export interface SteadyOptions {
  readonly prefix: string;
  readonly subnet: number;
  readonly settleMs: number;
  readonly windowMs: number;
  readonly log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** PIDs of the cluster's monitor and agents, found by their command lines (`--config <path>`). */
export function clusterPids(c: Cluster): Record<string, number> {
  const withConfig = (argv: readonly string[]): boolean => argv.includes(c.configPath);
  const out: Record<string, number> = {};
  const mon = findPids((a) => withConfig(a) && a.some((s) => s.endsWith('mmm-monitor.js')));
  if (mon[0] !== undefined) out['monitor'] = mon[0];
  for (const h of c.rig.hosts) {
    // `ip netns exec` execs node, so the agent's PID is node's own.
    const ag = findPids((a) => withConfig(a) && a.some((s) => s.endsWith('mmm-agent.js')) && a.includes(h.name) && (a[0] ?? '').endsWith('node'));
    if (ag[0] !== undefined) out[`agent-${h.name}`] = ag[0];
  }
  return out;
}

/** Brings up a cluster, measures it idle and under writes, tears it down; never throws. */
export async function benchSteady(o: SteadyOptions): Promise<SteadyResult> {
  let c: Cluster | null = null;
  const phases: SteadyPhase[] = [];
  try {
    c = await startCluster({ prefix: o.prefix, subnet: o.subnet });
    const pids = clusterPids(c);
    o.log(`  processes: ${Object.entries(pids).map(([n, p]) => `${n}=${p}`).join(' ')}`);
    if (pids['monitor'] === undefined) throw new Error('mmm-monitor process not found in /proc');
    await sleep(o.settleMs);
    phases.push({ load: 'idle', windowMs: o.windowMs, procs: await measureProcs(pids, o.windowMs) });
    const client = startWriteClient(c.rig, { intervalMs: 20, startId: 1 });
    await sleep(1_000);
    const before = client.acked().length;
    const procs = await measureProcs(pids, o.windowMs);
    const writesAcked = client.acked().length - before;
    await client.stop();
    phases.push({ load: 'writes', windowMs: o.windowMs, procs, writesAcked });
    return { completed: true, hosts: c.rig.hosts.length, logLevel: 'debug', phases };
  } catch (e) {
    return { completed: false, error: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e), hosts: 3, logLevel: 'debug', phases };
  } finally {
    if (c !== null) await c.destroy().catch(() => undefined);
  }
}
