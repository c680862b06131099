// The check scheduler: one loop per host × check plus the monitor's network self-check, each
// independent (a hung host never delays another), folded through MMM's trap, and read by the daemon
// as the trapped view the decision core needs.
import type { Logger } from '@mmm-ts/protocol';
import type { CheckConfig, ClusterConfig, HostConfig } from '@mmm-ts/protocol/config';
import { connectMysql, type SqlConnector } from '@mmm-ts/protocol/mysql';
import type { CheckDetail, CheckName, CheckResult } from '../core/index.js';
import { CheckLoop, realTimers, type LoopSettings, type Timers } from './check-loop.js';
import { NETWORK_CHECK_INTERVAL_MS } from './network.js';
import { createRealProbes, type ProbeSet } from './probe-set.js';
import type { Clock } from './probe-kit.js';
import { binlogPosOf, replicaOf } from './rep-probes.js';
import type { ReplicaSummary } from './replication.js';
import type { ProbeKind } from './trap.js';

export const CHECK_NAMES: readonly CheckName[] = ['ping', 'mysql', 'repThreads', 'repBacklog'];

/** Trap for certain failures (refused): two refusals at least this far apart report the check failed. */
export const DEFAULT_REFUSED_TRAP_MS = 100;
/** Consecutive failing probes needed besides the trap time, so one slow probe never trips a check. */
export const DEFAULT_MIN_FAILURES = 2;
/** Bound on one network self-check round. */
export const NETWORK_CHECK_TIMEOUT_MS = 900;

export interface CheckRunnerOptions {
  readonly logger: Logger;
  /** How to open MySQL connections [connectMysql]. */
  readonly connect?: SqlConnector;
  readonly now?: Clock;
  /** Called whenever a reported result (or networkOk) changes, so the daemon can decide at once. */
  readonly onChange?: () => void;
  /** Replacement probes (tests). The death watch runs only when `mysql` is the real probe. */
  readonly probes?: Partial<ProbeSet>;
  /** Timer functions (tests drive a virtual clock) [global setTimeout]. */
  readonly timers?: Timers;
  /** Trap for runs of refusals [DEFAULT_REFUSED_TRAP_MS, never longer than the check's trap]. */
  readonly refusedTrapMs?: number;
  /** [DEFAULT_MIN_FAILURES] */
  readonly minFailures?: number;
}

/** What the core needs about one host. */
export interface HostCheckView {
  readonly checks: Record<CheckName, CheckResult>;
  readonly details: Partial<Record<CheckName, CheckDetail>>;
  /** The latest replication summary read (null: no replication row, or the last read failed). */
  readonly replica: ReplicaSummary | null;
  readonly lagS: number | null;
}

/** One line of `mmm-control checks`. */
export interface CheckRow {
  readonly host: string;
  readonly check: CheckName;
  readonly state: CheckResult;
  /** When `state` last changed (ms). */
  readonly since: number;
  readonly message: string;
  /** Kind of the last probe (null before the first). */
  readonly lastKind: ProbeKind | null;
  /** Consecutive failing probes in the current run. */
  readonly failures: number;
  /** How long the last probe took (ms), null before the first. */
  readonly lastDurationMs: number | null;
}

export interface CheckRunner {
  start(): void;
  stop(): Promise<void>;
  observe(now: number): Record<string, HostCheckView>;
  networkOk(): boolean;
  rows(): CheckRow[];
  urgent(host: string): void;
  /** Resolves once every loop has completed one probe and the network check one round (startup). */
  settled(): Promise<void>;
}

/** The loop settings of one check from the config plus the refusal fast path. */
export function loopSettings(c: CheckConfig, refusedTrapMs: number, minFailures: number): LoopSettings {
  return { intervalMs: c.intervalMs, timeoutMs: c.timeoutMs, trapMs: c.trapMs, refusedTrapMs: Math.min(refusedTrapMs, c.trapMs), minFailures };
}

/** Creates the scheduler for every host of `cfg`; nothing runs until `start`. */
export function createCheckRunner(cfg: ClusterConfig, opts: CheckRunnerOptions): CheckRunner {
  const now = opts.now ?? Date.now;
  const timers = opts.timers ?? realTimers;
  const log = opts.logger.child({ component: 'checks' });
  const real = createRealProbes(cfg, opts.connect ?? connectMysql, now);
  const probes: ProbeSet = { ...real.probes, ...opts.probes };
  const watchDeaths = opts.probes?.mysql === undefined;
  const refusedTrapMs = opts.refusedTrapMs ?? DEFAULT_REFUSED_TRAP_MS;
  const minFailures = opts.minFailures ?? DEFAULT_MIN_FAILURES;
  const onChange = opts.onChange ?? (() => undefined);
  const settledWaiters: (() => void)[] = [];

  const hosts: HostConfig[] = cfg.hostNames.map((n) => cfg.hosts[n]).filter((h): h is HostConfig => h !== undefined);
  const loops = new Map<string, Record<CheckName, CheckLoop>>();

  let network: boolean = cfg.monitor.pingIps.length === 0;
  let networkRounds = 0;
  let networkTimer: unknown = null;
  let networkRun: Promise<void> = Promise.resolve();
  let started = false;
  let stopped = false;

  const isSettled = (): boolean =>
    (cfg.monitor.pingIps.length === 0 || networkRounds > 0) &&
    [...loops.values()].every((byCheck) => CHECK_NAMES.every((c) => byCheck[c].completed > 0));
  const checkSettled = (): void => {
    if (!isSettled()) return;
    for (const w of settledWaiters.splice(0)) w();
  };
  const folded = (changed: boolean): void => {
    checkSettled();
    if (changed) onChange();
  };

  for (const h of hosts) {
    const make = (check: CheckName): CheckLoop =>
      new CheckLoop({
        host: h.name,
        check,
        settings: loopSettings(cfg.checks[check], refusedTrapMs, minFailures),
        probe: (t) => probes[check](h, t),
        now,
        timers,
        logger: log,
        folded,
      });
    loops.set(h.name, { ping: make('ping'), mysql: make('mysql'), repThreads: make('repThreads'), repBacklog: make('repBacklog') });
  }

  const networkRound = async (): Promise<void> => {
    let up: boolean;
    try {
      up = await probes.network(cfg.monitor.pingIps, NETWORK_CHECK_TIMEOUT_MS);
    } catch {
      up = false;
    }
    networkRounds++;
    const changed = up !== network;
    network = up;
    if (changed) {
      const fields = { event: 'check.network_changed', ok: up, pingIps: cfg.monitor.pingIps };
      if (up) log.info(fields, 'monitor network check: reachable');
      else log.warn(fields, 'monitor network check: none of ping_ips answers; decisions are frozen');
    }
    if (!stopped) networkTimer = timers.setTimeout(() => { networkRun = networkRound(); }, NETWORK_CHECK_INTERVAL_MS);
    checkSettled();
    if (changed) onChange();
  };

  const urgent = (host: string): void => {
    const byCheck = loops.get(host);
    if (byCheck === undefined) return;
    for (const c of CHECK_NAMES) byCheck[c].urgent();
  };

  return {
    start() {
      if (started) return;
      started = true;
      for (const byCheck of loops.values()) for (const c of CHECK_NAMES) byCheck[c].start();
      if (cfg.monitor.pingIps.length > 0) networkRun = networkRound();
      if (watchDeaths) {
        real.watch((host) => {
          log.info({ event: 'check.connection_lost', host }, `${host}: monitor connection lost, probing now`);
          urgent(host);
        });
      }
    },
    async stop() {
      stopped = true;
      if (networkTimer !== null) timers.clearTimeout(networkTimer);
      await Promise.all([...[...loops.values()].flatMap((byCheck) => CHECK_NAMES.map((c) => byCheck[c].stop())), networkRun]);
      await real.close();
    },
    observe(_now) {
      const out: Record<string, HostCheckView> = {};
      for (const [host, byCheck] of loops) {
        const checks = {} as Record<CheckName, CheckResult>;
        const details: Partial<Record<CheckName, CheckDetail>> = {};
        for (const c of CHECK_NAMES) {
          const t = byCheck[c].trap;
          checks[c] = t.reported;
          if (t.reported === 'fail') details[c] = t.detail;
        }
        const a = byCheck.repThreads.trap.last;
        const b = byCheck.repBacklog.trap.last;
        const latest = a === null ? b : b === null ? a : b.startedAt > a.startedAt ? b : a;
        const replica = replicaOf(latest) ?? null;
        const binlog = binlogPosOf(latest);
        // The position with the time it was read (a dead host's last reading keeps its own time).
        const gtid = binlog === undefined || binlog === null || latest === null ? {} : { gtidBinlogPos: binlog, gtidReadAt: latest.startedAt };
        out[host] = { checks, details, replica, lagS: replica?.lagS ?? null, ...gtid };
      }
      return out;
    },
    networkOk: () => network,
    rows() {
      const out: CheckRow[] = [];
      for (const [host, byCheck] of loops) {
        for (const c of CHECK_NAMES) {
          const t = byCheck[c].trap;
          out.push({ host, check: c, state: t.reported, since: t.changedAt, message: t.lastMessage, lastKind: t.last?.kind ?? null, failures: t.failures, lastDurationMs: t.last?.durationMs ?? null });
        }
      }
      return out;
    },
    urgent,
    settled() {
      if (isSettled()) return Promise.resolve();
      return new Promise((resolve) => settledWaiters.push(resolve));
    },
  };
}
