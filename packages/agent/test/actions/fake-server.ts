// A tiny simulated MariaDB 10.11 for action unit tests: read_only, a process list, replica status
// and GTID positions, driven through the FakeSql handler.
import { createFakeSql, serverError, type FakeSql } from '../../src/testing/index.js';
import { dialectFor, parseServerFlavor } from '@mmm-ts/protocol/mysql';
import type { Row, SqlError } from '@mmm-ts/protocol/mysql';
import { createFakeClock } from '../../src/testing/index.js';
import { silentLogger } from '@mmm-ts/protocol';
import type { SqlEnv } from '../../src/actions/env.js';

export interface SimSession { id: number; user: string; command: string; info: string | null }

export interface SimServer {
  readOnly: boolean;
  ignoreReadOnly: boolean;
  sessions: SimSession[];
  killed: number[];
  replica: Row | null;
  binlogPos: string;
  currentPos: string;
  gtidWaitResult: number | null;
  /** Runs when a MASTER_GTID_WAIT is issued (e.g. stop the SQL thread mid-wait). */
  onGtidWait?: (s: SimServer) => void;
  lockWaitOnce: boolean;
  /** Statements that fail with this error (by exact text prefix). */
  failOn: Map<string, SqlError>;
  /** Called after every kill round (tests use it to let a writing statement finish). */
  onProcesslist?: (n: number) => void;
}

export function newServer(): SimServer {
  return {
    readOnly: false, ignoreReadOnly: false, sessions: [], killed: [], replica: null,
    binlogPos: '', currentPos: '', gtidWaitResult: 0, lockWaitOnce: false, failOn: new Map(),
  };
}

export function simSql(s: SimServer, threadId = 1): FakeSql {
  let listed = 0;
  return createFakeSql((sql, params) => {
    for (const [prefix, e] of s.failOn) if (sql.startsWith(prefix)) return e;
    if (sql.startsWith('SELECT VERSION()')) return [{ version: '10.11.6-MariaDB', version_comment: 'Debian' }];
    if (sql.startsWith('SET SESSION lock_wait_timeout')) return [];
    if (sql.startsWith('SET GLOBAL read_only=')) {
      if (s.lockWaitOnce) { s.lockWaitOnce = false; return serverError(1205, 'Lock wait timeout exceeded'); }
      if (!s.ignoreReadOnly) s.readOnly = sql.endsWith('1');
      return [];
    }
    if (sql.startsWith('SELECT @@global.read_only')) return [{ read_only: s.readOnly ? 1 : 0, super_read_only: null }];
    if (sql.startsWith('SELECT ID AS id')) {
      s.onProcesslist?.(listed++);
      return s.sessions.map((x) => ({ ...x, id: String(x.id) }));
    }
    if (sql.startsWith('KILL CONNECTION')) {
      const id = Number(params[0]);
      if (!s.sessions.some((x) => x.id === id)) return serverError(1094, 'Unknown thread id');
      s.sessions = s.sessions.filter((x) => x.id !== id);
      s.killed.push(id);
      return [];
    }
    if (sql === 'SHOW REPLICA STATUS') return s.replica ? [s.replica] : [];
    if (sql === 'SHOW BINLOG STATUS') return [{ File: 'bin.000001', Position: 100 }];
    if (sql.startsWith('SELECT 1 AS gtid_enabled')) return [{ gtid_enabled: 1 }];
    if (sql.startsWith('SELECT @@global.gtid_binlog_pos')) return [{ gtid: s.binlogPos }];
    if (sql.startsWith('SELECT @@global.gtid_current_pos')) return [{ gtid: s.currentPos }];
    if (sql.startsWith('SELECT MASTER_GTID_WAIT')) { s.onGtidWait?.(s); return [{ result: s.gtidWaitResult }]; }
    if (sql === 'STOP REPLICA') { if (s.replica) s.replica = { ...s.replica, Slave_IO_Running: 'No', Slave_SQL_Running: 'No' }; return []; }
    if (sql === 'START REPLICA') { if (s.replica) s.replica = { ...s.replica, Slave_IO_Running: 'Connecting', Slave_SQL_Running: 'Yes' }; return []; }
    if (sql.startsWith('CHANGE MASTER TO')) {
      s.replica = { ...(s.replica ?? {}), Master_Host: params[0], Master_Port: params[1], Using_Gtid: 'Slave_Pos' };
      return [];
    }
    return serverError(1064, `fake server does not know: ${sql}`);
  }, threadId);
}

export const MARIA = dialectFor(parseServerFlavor('10.11.6-MariaDB', '')!);

export function envOf(s: SimServer, threadId = 1): SqlEnv & { sql: FakeSql; clock: ReturnType<typeof createFakeClock> } {
  return { sql: simSql(s, threadId), dialect: MARIA, clock: createFakeClock(), logger: silentLogger };
}

export function replicaRow(over: Partial<Record<string, unknown>> = {}): Row {
  return {
    Master_Host: '10.0.0.11', Master_Port: 3306, Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes',
    Seconds_Behind_Master: 0, Using_Gtid: 'Slave_Pos', Gtid_IO_Pos: '0-1-10', Last_SQL_Error: '', Last_IO_Error: '',
    ...over,
  };
}
