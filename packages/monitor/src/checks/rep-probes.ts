// The `rep_threads` and `rep_backlog` probes. Both read through one ReplicaReader per host, which
// shares an in-flight SHOW SLAVE STATUS and reuses a fresh answer, so two checks cost one query.
import type { Result } from '@mmm-ts/protocol';
import type { SqlError } from '@mmm-ts/protocol/mysql';
import type { MysqlLink } from './mysql-link.js';
import { kindOfSqlError, probeResult, type Clock } from './probe-kit.js';
import { judgeRepBacklog, judgeRepThreads, readReplica, type Judgement, type ReplicaReading, type ReplicaSummary } from './replication.js';
import type { ProbeResult } from './trap.js';

interface Reading {
  readonly startedAt: number;
  readonly result: Result<ReplicaReading, SqlError>;
}

export interface ReplicaReader {
  /** One reading, shared with a concurrent caller, or reused when it started less than `reuseMs` ago. */
  read(timeoutMs: number): Promise<Reading>;
}

/** Creates the per-host reader over the replication link. */
export function createReplicaReader(link: MysqlLink, now: Clock, reuseMs: number): ReplicaReader {
  let inFlight: Promise<Reading> | null = null;
  let last: Reading | null = null;
  return {
    read(timeoutMs) {
      if (inFlight !== null) return inFlight;
      if (last !== null && now() - last.startedAt < reuseMs) return Promise.resolve(last);
      const startedAt = now();
      inFlight = readReplica(link, timeoutMs)
        .catch((e: unknown): Result<ReplicaReading, SqlError> => ({ ok: false, error: { code: 'SQL_CONNECTION_LOST', message: e instanceof Error ? e.message : String(e) } }))
        .then((result) => {
          last = { startedAt, result };
          inFlight = null;
          return last;
        });
      return inFlight;
    },
  };
}

/** The probe data key under which rep probes report the replication summary (null: no row). */
export const REPLICA_DATA_KEY = 'replica';
/** The probe data key of the server's @@gtid_binlog_pos (null: unknown). */
export const BINLOG_POS_DATA_KEY = 'gtidBinlogPos';

async function repProbe(reader: ReplicaReader, timeoutMs: number, now: Clock, judge: (r: ReplicaSummary | null) => Judgement): Promise<ProbeResult> {
  const reading = await reader.read(timeoutMs);
  if (!reading.result.ok) {
    const e = reading.result.error;
    return probeResult(kindOfSqlError(e), `${e.code}: ${e.message}`, reading.startedAt, now);
  }
  const j = judge(reading.result.value.replica);
  return probeResult(j.kind, j.message, reading.startedAt, now, { [REPLICA_DATA_KEY]: reading.result.value.replica, [BINLOG_POS_DATA_KEY]: reading.result.value.gtidBinlogPos });
}

/** One `rep_threads` probe; never throws. */
export function probeRepThreads(reader: ReplicaReader, timeoutMs: number, now: Clock): Promise<ProbeResult> {
  return repProbe(reader, timeoutMs, now, judgeRepThreads);
}

/** One `rep_backlog` probe; never throws. */
export function probeRepBacklog(reader: ReplicaReader, timeoutMs: number, maxBacklogMs: number, now: Clock): Promise<ProbeResult> {
  return repProbe(reader, timeoutMs, now, (r) => judgeRepBacklog(r, maxBacklogMs));
}

/** The replication summary a rep probe carried, if any (undefined: the probe could not read it). */
export function replicaOf(p: ProbeResult | null): ReplicaSummary | null | undefined {
  if (p === null || p.data === undefined || !Object.hasOwn(p.data, REPLICA_DATA_KEY)) return undefined;
  return p.data[REPLICA_DATA_KEY] as ReplicaSummary | null;
}

/** The binlog GTID position a rep probe read, if any (null/undefined: unknown). */
export function binlogPosOf(p: ProbeResult | null): string | null | undefined {
  if (p === null || p.data === undefined || !Object.hasOwn(p.data, BINLOG_POS_DATA_KEY)) return undefined;
  return p.data[BINLOG_POS_DATA_KEY] as string | null;
}
