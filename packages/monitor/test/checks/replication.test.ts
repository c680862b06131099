import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReplicaStatus } from '@mmm-ts/protocol/mysql';
import { judgeRepBacklog, judgeRepThreads, summarizeReplica } from '../../src/checks/index.js';

const MAX = 60_000;
function row(io: string, sql: string, behind: number | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Master_Host: '10.9.9.11', Master_Port: 3306, Slave_IO_Running: io, Slave_SQL_Running: sql, Seconds_Behind_Master: behind,
    Master_Log_File: 'bin.000002', Read_Master_Log_Pos: 900, Relay_Master_Log_File: 'bin.000002', Exec_Master_Log_Pos: 900,
    Gtid_IO_Pos: '0-1-42', Last_IO_Error: '', Last_SQL_Error: '', ...extra,
  };
}
const summary = (r: Record<string, unknown>) => summarizeReplica(normalizeReplicaStatus(r), '0-1-42');

test('NULL Seconds_Behind_Master with a stopped SQL thread fails rep_backlog (not "no lag")', () => {
  const s = summary(row('Yes', 'No', null));
  assert.equal(s.lagS, null);
  assert.equal(judgeRepBacklog(s, MAX).kind, 'error');
});

test('NULL Seconds_Behind_Master with a stopped IO thread fails rep_backlog', () => {
  assert.equal(judgeRepBacklog(summary(row('No', 'Yes', null)), MAX).kind, 'error');
  assert.equal(judgeRepBacklog(summary(row('Connecting', 'Yes', null)), MAX).kind, 'error');
});

test('NULL with both threads running counts as 0', () => {
  const s = summary(row('Yes', 'Yes', null));
  assert.equal(s.lagS, 0);
  assert.equal(judgeRepBacklog(s, MAX).kind, 'ok');
});

test('rep_backlog fails above max_backlog and passes at or below it', () => {
  assert.equal(judgeRepBacklog(summary(row('Yes', 'Yes', 61)), MAX).kind, 'error');
  assert.equal(judgeRepBacklog(summary(row('Yes', 'Yes', 60)), MAX).kind, 'ok');
  assert.equal(judgeRepBacklog(summary(row('Yes', 'Yes', 0)), MAX).kind, 'ok');
});

test('rep_threads fails unless both threads run; Connecting is not running', () => {
  assert.equal(judgeRepThreads(summary(row('Yes', 'Yes', 0))).kind, 'ok');
  assert.equal(judgeRepThreads(summary(row('Connecting', 'Yes', null))).kind, 'error');
  assert.equal(judgeRepThreads(summary(row('No', 'Yes', null))).kind, 'error');
  const sqlStopped = judgeRepThreads(summary(row('Yes', 'No', null, { Last_SQL_Error: 'Duplicate entry' })));
  assert.equal(sqlStopped.kind, 'error');
  assert.match(sqlStopped.message, /SQL thread stopped \(Duplicate entry\)/);
});

test('no replication row fails both rep checks (MMM: a master-master host always has one)', () => {
  assert.equal(judgeRepThreads(null).kind, 'error');
  assert.equal(judgeRepBacklog(null, MAX).kind, 'error');
});

test('the summary tells a drained relay log and reads new column names too', () => {
  assert.equal(summary(row('Yes', 'Yes', 0)).caughtUp, true);
  assert.equal(summary(row('Yes', 'Yes', 0, { Exec_Master_Log_Pos: 800 })).caughtUp, false);
  const s = summarizeReplica(normalizeReplicaStatus({
    Source_Host: 'h', Replica_IO_Running: 'Yes', Replica_SQL_Running: 'Yes', Seconds_Behind_Source: 2, Executed_Gtid_Set: 'uuid:1-5', Retrieved_Gtid_Set: 'uuid:1-6',
  }), null);
  assert.equal(s.sourceHost, 'h');
  assert.equal(s.lagS, 2);
  assert.equal(s.gtidApplied, 'uuid:1-5');
  assert.equal(s.gtidIoPos, 'uuid:1-6');
});
