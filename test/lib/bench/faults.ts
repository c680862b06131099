// The fault benchmark: each fault (kill, hang, link down) and the switchover, several runs, each on
// a fresh cluster, measured by the lead's runFault; a run that never recovers or whose harness
// fails is recorded as such, never dropped, and never stops the benchmark.
import { startCluster } from '../cluster.js';
import { runFault, type FaultKind, type FaultResult } from '../scenario.js';
import { findPids } from './proc-stats.js';

/** One measured run (times in ms; null: it never happened within the timeout). */
export interface FaultRun {
  readonly run: number;
  /** The run completed (cluster up, fault injected, results read); false: see `error`. */
  readonly completed: boolean;
  readonly error?: string;
  readonly oldWriter?: string;
  readonly newWriter?: string;
  readonly recoveryMs: number | null;
  readonly windowMs: number | null;
  /** The longest time without an acknowledged write around the fault (scenario.ts longestAckGap). */
  readonly outageMs: number | null;
  /** Fault → the new writer first seen writable with the VIP by the sampler (server side). */
  readonly writerReadyMs: number | null;
  readonly clientErrors: number;
  readonly acked: number;
  /** Acknowledged writes missing on the new writer; null when there was no new writer to check. */
  readonly lost: number | null;
  readonly duplicates: number;
  readonly splitBrainSamples: number;
  readonly noWriterSamples: number;
  readonly samples: number;
  readonly converged: boolean;
  /** Wall time of the whole run, setup and teardown included. */
  readonly wallMs: number;
  /** The write client hung in a write and was killed by the benchmark's watchdog. */
  readonly clientKilled?: boolean;
  /** When nothing recovered: the monitor's last decisions (loop outcomes, handled commands), newest last. */
  readonly monitorSaid?: string[];
}

/** Median and max over the runs that produced a value. */
export interface Spread {
  readonly n: number;
  readonly median: number | null;
  readonly max: number | null;
  readonly min: number | null;
}

export interface FaultSummary {
  readonly runs: number;
  readonly completed: number;
  /** Runs in which a write was acknowledged by a new writer within the timeout. */
  readonly recovered: number;
  readonly recoveryMs: Spread;
  readonly windowMs: Spread;
  readonly outageMs: Spread;
  readonly writerReadyMs: Spread;
  /** Totals over all runs. */
  readonly clientErrors: number;
  /** Over the runs with a new writer to check against. */
  readonly lostWrites: number;
  /** Runs whose acknowledged writes could not be checked (no new writer). */
  readonly lostUnverified: number;
  readonly duplicates: number;
  readonly splitBrainSamples: number;
  readonly notConverged: number;
}

export interface FaultBench {
  readonly fault: FaultKind;
  readonly summary: FaultSummary;
  readonly runs: FaultRun[];
}

export interface FaultBenchOptions {
  readonly runs: number;
  readonly prefix: string;
  readonly subnet: number;
  /** How long to wait for the first write on the new writer [20 s]. */
  readonly recoveryTimeoutMs: number;
  /** Hard bound on one run, setup and teardown included [90 s]. */
  readonly runTimeoutMs: number;
  readonly extraYaml?: string;
  readonly log: (line: string) => void;
}

/** Median, max, min of the non-null values. */
export function spread(values: readonly (number | null)[]): Spread {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: null, max: null, min: null };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 === 1 ? (v[mid] ?? 0) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
  return { n: v.length, median: Math.round(median), max: v[v.length - 1] ?? null, min: v[0] ?? null };
}

function fromResult(run: number, r: FaultResult, wallMs: number, monitorSaid: string[]): FaultRun {
  return {
    run, completed: true, oldWriter: r.oldWriter, newWriter: r.newWriter,
    recoveryMs: r.recoveryMs, windowMs: r.windowMs, outageMs: r.outageMs, writerReadyMs: r.writerReadyMs, clientErrors: r.clientErrors, acked: r.acked,
    lost: r.newWriter === '' ? null : r.lost.length, duplicates: r.duplicates, splitBrainSamples: r.sampler.splitBrainSamples,
    noWriterSamples: r.sampler.noWriterSamples, samples: r.sampler.samples, converged: r.converged, wallMs,
    ...(r.recoveryMs === null ? { monitorSaid } : {}),
  };
}

function failedRun(run: number, error: string, wallMs: number): FaultRun {
  return {
    run, completed: false, error, recoveryMs: null, windowMs: null, outageMs: null, writerReadyMs: null, clientErrors: 0, acked: 0, lost: null,
    duplicates: 0, splitBrainSamples: 0, noWriterSamples: 0, samples: 0, converged: false, wallMs,
  };
}

/** SIGKILLs the write client writing to `vip` (ours: found by its command line); returns how many. */
function killWriteClient(vip: string): number {
  const pids = findPids((a) => a.some((x) => x.endsWith('write-client-main.js')) && a.includes(vip) && (a[0] ?? '').endsWith('node'));
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
  return pids.length;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** One run: a fresh cluster, the fault, teardown; never throws. */
async function oneRun(fault: FaultKind, run: number, o: FaultBenchOptions): Promise<FaultRun> {
  const t0 = Date.now();
  let destroy: (() => Promise<void>) | null = null;
  try {
    const c = await timeout(startCluster({ prefix: o.prefix, subnet: o.subnet, ...(o.extraYaml !== undefined ? { extraYaml: o.extraYaml } : {}) }), 60_000, 'cluster start');
    destroy = () => c.destroy();
    const measuring = runFault(c, fault, { timeoutMs: o.recoveryTimeoutMs, startId: 1 });
    measuring.catch(() => undefined); // a timed-out run keeps going until the teardown below
    // runFault stops its write client at the latest ~(10 s + recovery timeout + 1 s) after it starts;
    // a client still alive well after that is stuck in a write that never settles (seen after a
    // SIGSTOP): kill it so the run still yields its measurements.
    let clientKilled = false;
    const watchdog = setTimeout(() => { clientKilled = killWriteClient(c.rig.writerVip) > 0; }, o.recoveryTimeoutMs + 25_000);
    const r = await timeout(measuring, o.runTimeoutMs, `${fault} run`).finally(() => clearTimeout(watchdog));
    return { ...fromResult(run, r, Date.now() - t0, r.recoveryMs === null ? lastDecisions(c.monitor.logs()) : []), ...(clientKilled ? { clientKilled } : {}) };
  } catch (e) {
    return failedRun(run, message(e), Date.now() - t0);
  } finally {
    if (destroy !== null) await destroy().catch((e: unknown) => { o.log(`  teardown failed: ${message(e)}`); });
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** The monitor's last decisions, to say why a run did not recover. */
function lastDecisions(logs: readonly Record<string, unknown>[]): string[] {
  return logs
    .filter((l) => ['loop.outcome', 'intent.handled', 'failover.step', 'failover.blocked'].includes(text(l['event'])) && l['code'] !== 'NO_ACTION')
    .slice(-6)
    .map((l) => `${text(l['event'])}${l['code'] !== undefined ? ` ${text(l['code'])}` : ''}: ${text(l['reply'] ?? l['msg'])}`.slice(0, 300));
}

/** Sums the runs into the table row. */
export function summarize(runs: readonly FaultRun[]): FaultSummary {
  const sum = (f: (r: FaultRun) => number): number => runs.reduce((a, r) => a + f(r), 0);
  return {
    runs: runs.length,
    completed: runs.filter((r) => r.completed).length,
    recovered: runs.filter((r) => r.recoveryMs !== null).length,
    recoveryMs: spread(runs.map((r) => r.recoveryMs)),
    windowMs: spread(runs.map((r) => r.windowMs)),
    outageMs: spread(runs.map((r) => r.outageMs)),
    writerReadyMs: spread(runs.map((r) => r.writerReadyMs)),
    clientErrors: sum((r) => r.clientErrors),
    lostWrites: sum((r) => r.lost ?? 0),
    lostUnverified: runs.filter((r) => r.completed && r.lost === null).length,
    duplicates: sum((r) => r.duplicates),
    splitBrainSamples: sum((r) => r.splitBrainSamples),
    notConverged: runs.filter((r) => r.completed && !r.converged).length,
  };
}

/** Runs `fault` o.runs times, logging one line per run. */
export async function benchFault(fault: FaultKind, o: FaultBenchOptions): Promise<FaultBench> {
  const runs: FaultRun[] = [];
  for (let i = 1; i <= o.runs; i++) {
    const r = await oneRun(fault, i, o);
    runs.push(r);
    o.log(r.completed
      ? `  ${fault} #${i}: recovery ${r.recoveryMs ?? 'none'} ms, window ${r.windowMs ?? '-'} ms, longest outage ${r.outageMs ?? '-'} ms, ${r.oldWriter ?? '?'}→${r.newWriter || '?'}, errors ${r.clientErrors}, lost ${r.lost ?? 'unchecked'}, dup ${r.duplicates}, split-brain ${r.splitBrainSamples}/${r.samples}, converged ${String(r.converged)}${r.clientKilled === true ? ', write client hung: killed' : ''} (${(r.wallMs / 1000).toFixed(1)} s)${(r.monitorSaid ?? []).map((m) => `\n      monitor: ${m}`).join('')}`
      : `  ${fault} #${i}: FAILED: ${r.error ?? '?'} (${(r.wallMs / 1000).toFixed(1)} s)`);
  }
  return { fault, summary: summarize(runs), runs };
}
