// Turns what the checks and the agent client saw into the core's Observations: the trapped checks,
// the agent record, and the two replication facts the failover path needs (caught up, sees writer).
import { mariaGtidCovers } from '@mmm-ts/protocol/mysql';
import { errantAgainst } from '../core/switchover.js';
import { gtidsMissing } from './gtid.js';
import type { CheckResult, HostObs, Intent, Observations } from '../core/index.js';
import type { AgentClient } from './agents.js';
import type { HostCheckView, ReplicaView } from './checks-source.js';

const UNKNOWN_CHECKS = { ping: 'unknown', mysql: 'unknown', repThreads: 'unknown', repBacklog: 'unknown' } as const;

/** Whether a host has applied everything it received: SQL thread running and its applied GTID
 * position covers the received one, or a lag of 0; a host that replicates nothing is caught up. */
export function repCaughtUp(view: HostCheckView | undefined): boolean {
  if (view === undefined) return false;
  const r = view.replica;
  if (r === null) return view.checks.mysql === 'ok';
  if (!r.sqlRunning) return false;
  if (r.caughtUp !== undefined) return r.caughtUp;
  const io = r.gtidIoPos ?? null;
  const applied = r.gtidApplied ?? null;
  if (io !== null && applied !== null) {
    const covers = mariaGtidCovers(applied, io);
    if (covers !== null) return covers;
  }
  const lag = r.lagS ?? view.lagS;
  return lag === 0;
}

/** Second opinion: the host's IO thread is connected to the writer's address. */
export function seesWriter(view: HostCheckView | undefined, writerIp: string | null, writerName: string): CheckResult {
  if (view === undefined || writerIp === null) return 'unknown';
  const r: ReplicaView | null = view.replica;
  if (r === null) return view.checks.mysql === 'ok' ? 'fail' : 'unknown';
  const to = r.sourceHost === writerIp || r.sourceHost === writerName;
  return r.ioRunning && to ? 'ok' : 'fail';
}

export interface ObservationInputs {
  readonly hostNames: readonly string[];
  readonly hostIps: Readonly<Record<string, string>>;
  readonly views: Readonly<Record<string, HostCheckView>>;
  readonly agents: AgentClient;
  readonly networkOk: boolean;
  /** The host replicas should follow now (core state's activeMaster). */
  readonly activeMaster: string;
  readonly intents: readonly Intent[];
  /** The agents' second opinion on the writer (CHECK_HOST); without it, the replicas' IO threads. */
  readonly opinion?: (host: string) => CheckResult;
}

/**
 * What `host` lacks: GTIDs that another host whose MySQL answers has applied and `host` has not
 * even received. The current writer is left out (a new writer's sync_with_master waits for it when
 * it answers; when it is dead its last transactions are what the failover record reports at risk).
 */
export function lacksFor(host: string, views: Readonly<Record<string, HostCheckView>>, exclude: string): string[] | null {
  const v = views[host];
  const mine = [v?.replica?.gtidApplied, v?.replica?.gtidIoPos];
  const mineKnown = !mine.every((g) => g === null || g === undefined);
  const out = new Set<string>();
  for (const [other, ov] of Object.entries(views)) {
    if (other === host || other === exclude || ov.checks.mysql !== 'ok') continue;
    const theirs = ov.replica?.gtidApplied;
    if (theirs === null || theirs === undefined) continue;
    // A host whose position was not read yet (just restarted) cannot be shown complete: found by the
    // fault suite, where a restarted passive master was promoted before its first replication probe.
    if (!mineKnown) return [`${host}'s GTID position not read yet`];
    for (const g of gtidsMissing(theirs, mine) ?? []) out.add(`${other}:${g}`);
  }
  return mineKnown ? [...out] : null;
}

/** Errant transactions on `host` against the current writer (core switchover.ts errantAgainst). */
export function errantFor(host: string, views: Readonly<Record<string, HostCheckView>>, writer: string): string[] | null {
  if (host === writer || writer === '') return [];
  const w = views[writer];
  return errantAgainst(views[host]?.replica?.gtidApplied, [w?.gtidBinlogPos, w?.replica?.gtidApplied, views[host]?.replica?.gtidIoPos]);
}

/** One snapshot for decide(). */
export function buildObservations(i: ObservationInputs): Observations {
  const hosts: Record<string, HostObs> = {};
  const writerIp = i.activeMaster === '' ? null : (i.hostIps[i.activeMaster] ?? null);
  for (const h of i.hostNames) {
    const v = i.views[h];
    hosts[h] = {
      checks: v?.checks ?? UNKNOWN_CHECKS,
      details: v?.details ?? {},
      agent: i.agents.obs(h),
      repCaughtUp: repCaughtUp(v),
      lagS: v?.replica?.lagS ?? v?.lagS ?? null,
      lacks: lacksFor(h, i.views, i.activeMaster),
      replication: v === undefined ? undefined : v.replica === null ? null : { ioRunning: v.replica.ioRunning, sqlRunning: v.replica.sqlRunning, lastError: v.replica.lastSqlError || v.replica.lastIoError || '' },
      errant: errantFor(h, i.views, i.activeMaster),
      seesWriter: h === i.activeMaster ? 'unknown' : i.opinion !== undefined ? i.opinion(h) : seesWriter(v, writerIp, i.activeMaster),
    };
  }
  return { hosts, monitorNetworkOk: i.networkOk, intents: i.intents };
}
