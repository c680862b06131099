import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMhaReport, reportFromMoveRecord, reportSubject } from '../../src/hooks/index.js';
import type { HookRun } from '../../src/hooks/index.js';
import { RECORD } from './record.js';

const CFGX = { cluster: 't', hosts: { db1: { ip: '10.0.0.11', mysqlPort: 3306 }, db2: { ip: '10.0.0.12', mysqlPort: 3306 }, db3: { ip: '10.0.0.13', mysqlPort: 3306 } } };

function run(command: HookRun['command'], startedAt: string, exitCode: number | null, durationMs: number, extra: Partial<HookRun> = {}): HookRun {
  return {
    hook: 'master_ip_failover_script', command, path: '/x', argv: [], startedAt, exitCode, signal: null, timedOut: false, durationMs,
    stdout: '', stderr: '', error: null, ok: exitCode === 0, ...extra,
  };
}

const HOOKS: HookRun[] = [
  run('stop', '2026-01-01T00:00:00.005Z', 0, 12),
  run('stop', '2026-01-01T00:00:00.020Z', null, 30, { hook: 'shutdown_script', timedOut: true, signal: 'SIGTERM' }),
  run('start', '2026-01-01T00:00:00.155Z', 10, 8, { stderr: 'vip busy\nmore' }),
];

test('the report has each phase with its timing, steps and hooks in time order, the new master, replicas, GTIDs at risk, hooks', () => {
  const r = reportFromMoveRecord(RECORD, HOOKS, CFGX);
  assert.deepEqual(r.phases.map((p) => [p.number, p.durationMs]), [[1, 0], [2, 45], [3, 63], [4, 90]]);
  assert.equal(formatMhaReport(r), [
    '----- Failover Report -----',
    '',
    't: MySQL Master failover db1(10.0.0.11:3306) to db2(10.0.0.12:3306)',
    '',
    'Master db1(10.0.0.11:3306) is down!',
    'Cause: WRITER_DEAD: db1: mysql check failed',
    'Started automated(non-interactive) failover at 2026-01-01T00:00:00.000Z (id failover-1-db1-db2); 300 ms in all.',
    '',
    '* Phase 1: Configuration Check Phase: 0 ms',
    '    2026-01-01T00:00:00.000Z  detected             db1           0 ms  ok  writer db1 is HARD_OFFLINE',
    '* Phase 2: Dead Master Shutdown Phase: 45 ms',
    '    2026-01-01T00:00:00.005Z  hook master_ip_failover_script --command=stop  exit 0  12 ms',
    '    2026-01-01T00:00:00.010Z  release_old_writer   db1          40 ms  error  agent unreachable',
    '    2026-01-01T00:00:00.020Z  hook shutdown_script --command=stop  timed out after 30 ms and was killed  30 ms',
    '* Phase 3: Master Recovery Phase: 63 ms',
    '    2026-01-01T00:00:00.100Z  promote_new_writer   db2          50 ms  ok',
    '    2026-01-01T00:00:00.150Z  promoted             -             0 ms  ok  db2 is the writer',
    '    2026-01-01T00:00:00.155Z  hook master_ip_failover_script --command=start  exited 10  8 ms: vip busy',
    '* Phase 4: Slaves Recovery Phase: 90 ms',
    '    2026-01-01T00:00:00.160Z  repoint_replica      db3          90 ms  ok  now replicating from db2',
    '',
    'New master: db2(10.0.0.12:3306)',
    'Repointed replicas:',
    '  db3(10.0.0.13:3306): OK: replicating from db2(10.0.0.12:3306).',
    'GTIDs at risk (transactions the new master did not have): 0-1-19-20 (1 range(s) the new writer did not have)',
    '  old master last seen at 0-1-20, new master at 0-1-18',
    'Hooks run:',
    '  master_ip_failover_script --command=stop  exit 0  12 ms',
    '  shutdown_script --command=stop  timed out after 30 ms and was killed  30 ms',
    '  master_ip_failover_script --command=start  exited 10  8 ms: vip busy',
    'Master failover to db2(10.0.0.12:3306) done, but 2 step(s) failed.',
  ].join('\n') + '\n');
});

test('the subject says as much as MHA\'s: succeeded only when nothing failed, no new master unless promoted', () => {
  assert.equal(reportSubject(reportFromMoveRecord(RECORD, [], CFGX)), 't: MySQL Master failover db1(10.0.0.11:3306) to db2(10.0.0.12:3306) succeeded');
  assert.equal(reportSubject(reportFromMoveRecord(RECORD, HOOKS, CFGX)), 't: MySQL Master failover db1(10.0.0.11:3306) to db2(10.0.0.12:3306)');
  const aborted = { ...RECORD, outcome: 'aborted' as const, newWriter: '', sentence: 'no candidate', steps: RECORD.steps.slice(0, 2) };
  assert.equal(reportSubject(reportFromMoveRecord(aborted, [], CFGX)), 't: MySQL Master failover db1(10.0.0.11:3306)');
  const text = formatMhaReport(reportFromMoveRecord(aborted, [], CFGX));
  assert.match(text, /\nNew master: none \(aborted\)\n/);
  assert.match(text, /\nMaster failover aborted: no candidate\n$/);
  assert.match(text, /\nHooks run: none\n/);
});

test('a switchover uses MHA\'s online-switch phase names; a failed repoint is an ERROR line; unknown hosts print bare', () => {
  const sw = {
    ...RECORD, kind: 'switchover' as const,
    steps: [...RECORD.steps.slice(0, 4), { name: 'repoint_replica', host: 'db3', startedAt: '2026-01-01T00:00:00.160Z', durationMs: 5, result: 'error' as const, detail: 'CHANGE MASTER failed' }],
  };
  const text = formatMhaReport(reportFromMoveRecord(sw, [run('stop', '2026-01-01T00:00:00.001Z', 0, 3, { hook: 'master_ip_online_change_script' })]));
  assert.match(text, /^----- Switchover Report -----\n\nMySQL Master switchover db1 to db2\n/);
  assert.match(text, /\* Phase 2: Rejecting Updates Phase: \d+ ms\n.*hook master_ip_online_change_script --command=stop/);
  assert.match(text, /\n  db3: ERROR: CHANGE MASTER failed\n/);
  assert.match(text, /\nSwitching master to db2 done, but 1 step\(s\) failed\.\n$/);
});
