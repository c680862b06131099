// `rep_threads` and `rep_backlog` from ONE `SHOW SLAVE STATUS` (dialect-appropriate), plus a
// normalized replication summary the daemon uses for its second opinion (does this replica still
// receive from the writer?) and for candidate catch-up.
import { ok, type Result } from '@mmm-ts/protocol';
import { cellText, normalizeReplicaStatus, type IoThreadState, type ReplicaStatus, type SqlError } from '@mmm-ts/protocol/mysql';
import type { MysqlLink } from './mysql-link.js';
import type { ProbeKind } from './trap.js';

/** What the monitor needs to know about one host's replication. */
export interface ReplicaSummary {
  readonly sourceHost: string;
  readonly sourcePort: number | null;
  /** The IO thread is running ('Yes'); 'connecting' is not running. */
  readonly ioRunning: boolean;
  readonly ioState: IoThreadState;
  readonly sqlRunning: boolean;
  /** Seconds_Behind_Master; 0 when NULL with both threads running; null when unknown (NULL, a thread stopped). */
  readonly lagS: number | null;
  /** The relay log is drained: the SQL thread applied everything the IO thread read. */
  readonly caughtUp: boolean;
  /** MariaDB Gtid_IO_Pos, MySQL Retrieved_Gtid_Set: what was received. */
  readonly gtidIoPos: string | null;
  /** What this server has applied (MariaDB @@gtid_current_pos, MySQL @@gtid_executed). */
  readonly gtidApplied: string | null;
  readonly lastIoError: string;
  readonly lastSqlError: string;
}

/** Reduces one normalized status row (and the applied GTID set) to the summary. */
export function summarizeReplica(rs: ReplicaStatus, gtidApplied: string | null): ReplicaSummary {
  const ioRunning = rs.ioThread === 'running';
  const bothRunning = ioRunning && rs.sqlRunning;
  return {
    sourceHost: rs.sourceHost,
    sourcePort: rs.sourcePort,
    ioRunning,
    ioState: rs.ioThread,
    sqlRunning: rs.sqlRunning,
    lagS: rs.secondsBehind ?? (bothRunning ? 0 : null),
    caughtUp: rs.relaySourceLogFile === rs.sourceLogFile && rs.execSourceLogPos !== null && rs.execSourceLogPos === rs.readSourceLogPos,
    gtidIoPos: rs.gtidIoPos ?? rs.retrievedGtidSet,
    gtidApplied: gtidApplied ?? rs.executedGtidSet,
    lastIoError: rs.lastIoError,
    lastSqlError: rs.lastSqlError,
  };
}

export interface Judgement {
  readonly kind: ProbeKind;
  readonly message: string;
}

/**
 * rep_threads, MMM's rule: fails when there is no replication row at all, or when the IO or SQL
 * thread is anything but running ('Connecting' counts as not running). In master-master both
 * masters replicate from each other, so a master always has a row; a host without one fails.
 */
export function judgeRepThreads(r: ReplicaSummary | null): Judgement {
  if (r === null) return { kind: 'error', message: 'no replication configured (SHOW SLAVE STATUS is empty)' };
  if (!r.ioRunning || !r.sqlRunning) {
    const why = [
      r.ioRunning ? '' : `IO thread ${r.ioState}${r.lastIoError !== '' ? ` (${r.lastIoError})` : ''}`,
      r.sqlRunning ? '' : `SQL thread stopped${r.lastSqlError !== '' ? ` (${r.lastSqlError})` : ''}`,
    ].filter((s) => s !== '').join(', ');
    return { kind: 'error', message: `replication from ${r.sourceHost}: ${why}` };
  }
  return { kind: 'ok', message: `IO and SQL threads running (source ${r.sourceHost})` };
}

/**
 * rep_backlog: fails when the lag exceeds maxBacklogMs, and — unlike MMM, which read NULL as 0 —
 * when the lag is unknown (NULL with a thread stopped, or no replication row).
 */
export function judgeRepBacklog(r: ReplicaSummary | null, maxBacklogMs: number): Judgement {
  if (r === null) return { kind: 'error', message: 'no replication configured: backlog unknown' };
  if (r.lagS === null) return { kind: 'error', message: `lag unknown (Seconds_Behind_Master NULL, IO ${r.ioState}, SQL ${r.sqlRunning ? 'running' : 'stopped'})` };
  if (r.lagS * 1000 > maxBacklogMs) return { kind: 'error', message: `lag ${r.lagS} s exceeds ${maxBacklogMs / 1000} s` };
  return { kind: 'ok', message: `lag ${r.lagS} s` };
}

/** One replication reading: the summary (null: no replication row) and the server's own binlog GTID
 * position (what a failover record compares the new writer against), null when unknown. */
export interface ReplicaReading {
  readonly replica: ReplicaSummary | null;
  readonly gtidBinlogPos: string | null;
}

/** Reads the binlog GTID position, then SHOW SLAVE STATUS (and the applied GTID set) on `link`. */
export async function readReplica(link: MysqlLink, timeoutMs: number): Promise<Result<ReplicaReading, SqlError>> {
  return link.use(timeoutMs, async (s): Promise<Result<ReplicaReading, SqlError>> => {
    let gtidBinlogPos: string | null = null;
    if (s.dialect !== null) {
      // Best effort: only failover records use it, so a server refusing it must not fail the rep checks.
      const b = await s.sql.query(s.dialect.binlogGtidQuery, [], s.remainingMs);
      if (b.ok) gtidBinlogPos = b.value[0] === undefined ? null : cellText(b.value[0]['gtid']);
      else if (b.error.code !== 'SQL_SERVER_ERROR') return b;
    }
    const replica = await readReplicaRow(s);
    return replica.ok ? ok({ replica: replica.value, gtidBinlogPos }) : replica;
  });
}

type LinkSession = Parameters<Parameters<MysqlLink['use']>[1]>[0];

/** SHOW SLAVE STATUS and the applied GTID set, summarized; ok(null) when there is no row. */
async function readReplicaRow(s: LinkSession): Promise<Result<ReplicaSummary | null, SqlError>> {
  const showStatus = s.dialect?.showReplicaStatus ?? 'SHOW SLAVE STATUS';
  const r = await s.sql.query(showStatus, [], s.remainingMs);
  if (!r.ok) return r;
  const row = r.value[0];
  if (row === undefined) return ok(null);
  const rs = normalizeReplicaStatus(row);
  let applied: string | null = null;
  if (s.dialect !== null) {
    const g = await s.sql.query(s.dialect.appliedGtidQuery, [], s.remainingMs);
    if (!g.ok) return g;
    applied = g.value[0] === undefined ? null : cellText(g.value[0]['gtid']);
  }
  return ok(summarizeReplica(rs, applied));
}
