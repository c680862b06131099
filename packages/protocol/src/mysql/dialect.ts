// Statement text per server flavour and version (MariaDB 10.x/11.x, MySQL 5.7/8.0/8.4), so no action
// hard-codes MySQL 5.x syntax (MMM's flaw 8). Pure: builders return text and client-side parameters.
import { atLeast, type ServerFlavor } from './flavor.js';

export type SqlParam = string | number | null;

/** Statement text with `?` placeholders filled client-side (escaped) by the Sql layer. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** Where a replica should replicate from; values are validated by the caller and escaped by the Sql layer. */
export interface ChangeSourceArgs {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Seconds between IO thread reconnects (MariaDB default 60 is far too slow). */
  readonly connectRetryS: number;
}

/** How a wait function ended: reached the position, timed out, or could not wait (NULL: SQL thread stopped, bad args). */
export type WaitOutcome = 'reached' | 'timeout' | 'not_waiting';

export interface Dialect {
  readonly flavor: ServerFlavor;
  /** MySQL ≥ 5.7.8 has super_read_only; MariaDB has none (error 1193). */
  readonly hasSuperReadOnly: boolean;
  readonly showReplicaStatus: string;
  readonly showBinlogStatus: string;
  readonly stopReplica: string;
  readonly startReplica: string;
  /** Columns `read_only` and `super_read_only` (NULL on MariaDB), as 0/1. */
  readonly readOnlyQuery: string;
  /** Statements that set read_only (and super_read_only where it exists), in order. */
  setReadOnly(on: boolean): readonly string[];
  /** Column `gtid`: every transaction this server has in its binlog (what a replica of it must reach). */
  readonly binlogGtidQuery: string;
  /** Column `gtid`: every transaction this server has applied (replicated or local). */
  readonly appliedGtidQuery: string;
  /** Column `gtid_enabled`: 1 when GTID replication can be used. */
  readonly gtidEnabledQuery: string;
  /** Column `result`: waits until this server has applied `gtid`, at most `timeoutS` seconds. */
  gtidWait(gtid: string, timeoutS: number): Statement;
  readGtidWait(result: unknown): WaitOutcome;
  /** Column `result`: waits until the SQL thread has applied the source's file:pos, at most `timeoutS`. */
  posWait(file: string, pos: number, timeoutS: number): Statement;
  readPosWait(result: unknown): WaitOutcome;
  /** Repoints replication by GTID (MariaDB slave_pos, MySQL auto-position); no file/position. */
  changeSourceGtid(a: ChangeSourceArgs): Statement;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** MASTER_POS_WAIT / SOURCE_POS_WAIT: events waited (≥ 0), -1 on timeout, NULL when it cannot wait. */
function readPosWait(result: unknown): WaitOutcome {
  const n = num(result);
  if (n === null) return 'not_waiting';
  return n === -1 ? 'timeout' : 'reached';
}

function mariadb(flavor: ServerFlavor): Dialect {
  const modern = atLeast(flavor, 10, 5, 2);
  return {
    flavor,
    hasSuperReadOnly: false,
    showReplicaStatus: atLeast(flavor, 10, 5, 1) ? 'SHOW REPLICA STATUS' : 'SHOW SLAVE STATUS',
    showBinlogStatus: modern ? 'SHOW BINLOG STATUS' : 'SHOW MASTER STATUS',
    stopReplica: atLeast(flavor, 10, 5, 1) ? 'STOP REPLICA' : 'STOP SLAVE',
    startReplica: atLeast(flavor, 10, 5, 1) ? 'START REPLICA' : 'START SLAVE',
    readOnlyQuery: 'SELECT @@global.read_only AS read_only, NULL AS super_read_only',
    setReadOnly: (on) => [`SET GLOBAL read_only=${on ? 1 : 0}`],
    binlogGtidQuery: 'SELECT @@global.gtid_binlog_pos AS gtid',
    appliedGtidQuery: 'SELECT @@global.gtid_current_pos AS gtid',
    gtidEnabledQuery: 'SELECT 1 AS gtid_enabled',
    gtidWait: (gtid, timeoutS) => ({ sql: 'SELECT MASTER_GTID_WAIT(?, ?) AS result', params: [gtid, timeoutS] }),
    // 0 reached, -1 timeout, NULL only for a NULL list. It keeps waiting while the SQL thread is
    // stopped, so callers check the SQL thread themselves.
    readGtidWait: (result) => {
      const n = num(result);
      if (n === null) return 'not_waiting';
      return n === 0 ? 'reached' : 'timeout';
    },
    posWait: (file, pos, timeoutS) => ({ sql: 'SELECT MASTER_POS_WAIT(?, ?, ?) AS result', params: [file, pos, timeoutS] }),
    readPosWait,
    changeSourceGtid: (a) => ({
      sql:
        'CHANGE MASTER TO master_host=?, master_port=?, master_user=?, master_password=?, ' +
        'master_use_gtid=slave_pos, master_connect_retry=?',
      params: [a.host, a.port, a.user, a.password, a.connectRetryS],
    }),
  };
}

function mysql(flavor: ServerFlavor): Dialect {
  const replicaWords = atLeast(flavor, 8, 0, 22);
  const sourceWords = atLeast(flavor, 8, 0, 23);
  return {
    flavor,
    hasSuperReadOnly: atLeast(flavor, 5, 7, 8),
    showReplicaStatus: replicaWords ? 'SHOW REPLICA STATUS' : 'SHOW SLAVE STATUS',
    showBinlogStatus: atLeast(flavor, 8, 2, 0) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS',
    stopReplica: replicaWords ? 'STOP REPLICA' : 'STOP SLAVE',
    startReplica: replicaWords ? 'START REPLICA' : 'START SLAVE',
    readOnlyQuery: 'SELECT @@global.read_only AS read_only, @@global.super_read_only AS super_read_only',
    // super_read_only=1 implies read_only=1; read_only=0 implies super_read_only=0.
    setReadOnly: (on) => (on ? ['SET GLOBAL super_read_only=1'] : ['SET GLOBAL read_only=0']),
    binlogGtidQuery: 'SELECT @@global.gtid_executed AS gtid',
    appliedGtidQuery: 'SELECT @@global.gtid_executed AS gtid',
    gtidEnabledQuery: "SELECT @@global.gtid_mode = 'ON' AS gtid_enabled",
    gtidWait: (gtid, timeoutS) => ({ sql: 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS result', params: [gtid, timeoutS] }),
    // 0 reached, 1 timeout; it errors (not NULL) on bad input.
    readGtidWait: (result) => {
      const n = num(result);
      if (n === null) return 'not_waiting';
      return n === 0 ? 'reached' : 'timeout';
    },
    posWait: (file, pos, timeoutS) => ({
      sql: `SELECT ${atLeast(flavor, 8, 0, 26) ? 'SOURCE_POS_WAIT' : 'MASTER_POS_WAIT'}(?, ?, ?) AS result`,
      params: [file, pos, timeoutS],
    }),
    readPosWait,
    changeSourceGtid: (a) =>
      sourceWords
        ? {
            sql:
              'CHANGE REPLICATION SOURCE TO SOURCE_HOST=?, SOURCE_PORT=?, SOURCE_USER=?, SOURCE_PASSWORD=?, ' +
              'SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=?',
            params: [a.host, a.port, a.user, a.password, a.connectRetryS],
          }
        : {
            sql:
              'CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?, ' +
              'MASTER_AUTO_POSITION=1, MASTER_CONNECT_RETRY=?',
            params: [a.host, a.port, a.user, a.password, a.connectRetryS],
          },
  };
}

/** The dialect for a probed server. */
export function dialectFor(flavor: ServerFlavor): Dialect {
  return flavor.kind === 'mariadb' ? mariadb(flavor) : mysql(flavor);
}
