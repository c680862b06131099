import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlDenyWrite } from '../../src/actions/deny-write.js';
import { classifySession, type Session } from '../../src/actions/sessions.js';
import { envOf, newServer } from './fake-server.js';

const base: Session = { id: 0, user: 'app', command: 'Sleep', info: null };

void test('classifySession spares replication threads, daemons, its own connection and spare users', () => {
  const c = (over: Partial<Session>) => classifySession({ ...base, id: 5, ...over }, 1, ['mmm_monitor']);
  assert.equal(c({ user: 'system user', command: 'Slave_SQL' }), 'spare');
  assert.equal(c({ user: 'repl', command: 'Binlog Dump' }), 'spare');
  assert.equal(c({ user: 'event_scheduler', command: 'Daemon' }), 'spare');
  assert.equal(c({ user: 'mmm_monitor' }), 'spare');
  assert.equal(classifySession({ ...base, id: 1 }, 1, []), 'spare');
  assert.equal(c({}), 'idle');
  assert.equal(c({ command: 'Query', info: 'SELECT 1' }), 'reading');
  assert.equal(c({ command: 'Query', info: 'select * from t for update' }), 'writing');
  assert.equal(c({ command: 'Query', info: 'INSERT INTO t VALUES (1)' }), 'writing');
});

void test('hard mode: read_only first, idle and reading sessions killed at once, replication spared', async () => {
  const s = newServer();
  s.sessions = [
    { id: 1, user: 'mmm_agent', command: 'Query', info: 'SELECT ID …' },
    { id: 7, user: 'system user', command: 'Slave_IO', info: null },
    { id: 8, user: 'repl', command: 'Binlog Dump', info: null },
    { id: 10, user: 'app', command: 'Sleep', info: null },
    { id: 11, user: 'app', command: 'Query', info: 'SELECT SLEEP(100)' },
  ];
  const env = envOf(s);
  const r = await mysqlDenyWrite(env, { mode: 'hard', maxKillRetries: 10 });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { readOnly: true, superReadOnly: null, killed: 2, killedAfterGrace: 0 });
  assert.deepEqual(s.killed, [10, 11]);
  const setIdx = env.sql.calls.findIndex((c) => c.sql === 'SET GLOBAL read_only=1');
  const killIdx = env.sql.calls.findIndex((c) => c.sql.startsWith('KILL'));
  assert.ok(setIdx >= 0 && setIdx < killIdx, 'read_only set before any kill');
  assert.match(env.sql.calls[0]?.sql ?? '', /^SET SESSION lock_wait_timeout = 5$/);
  assert.deepEqual(env.clock.sleeps, []);
});

void test('hard mode: a writing statement gets max_kill_retries rounds, then is killed', async () => {
  const s = newServer();
  s.sessions = [{ id: 20, user: 'app', command: 'Query', info: 'UPDATE t SET a=1' }];
  const env = envOf(s);
  const r = await mysqlDenyWrite(env, { mode: 'hard', maxKillRetries: 3, killRetryIntervalMs: 1000 });
  assert.ok(r.ok);
  assert.equal(r.value.killedAfterGrace, 1);
  assert.deepEqual(s.killed, [20]);
  assert.deepEqual(env.clock.sleeps, [1000, 1000, 1000]);
});

void test('hard mode: a writing statement that finishes in the grace period is not killed', async () => {
  const s = newServer();
  s.sessions = [{ id: 20, user: 'app', command: 'Query', info: 'UPDATE t SET a=1' }];
  s.onProcesslist = (n) => { if (n === 1) s.sessions = []; };
  const env = envOf(s);
  const r = await mysqlDenyWrite(env, { mode: 'hard', maxKillRetries: 10 });
  assert.ok(r.ok);
  assert.equal(r.value.killed, 0);
  assert.deepEqual(env.clock.sleeps, [1000]);
});

void test('soft mode: reading statements get the grace too; idle sessions go at once', async () => {
  const s = newServer();
  s.sessions = [
    { id: 30, user: 'app', command: 'Query', info: 'SELECT SLEEP(5)' },
    { id: 31, user: 'app', command: 'Sleep', info: null },
  ];
  s.onProcesslist = (n) => { if (n === 2) s.sessions = s.sessions.filter((x) => x.id !== 30); };
  const env = envOf(s);
  const r = await mysqlDenyWrite(env, { mode: 'soft', maxKillRetries: 10 });
  assert.ok(r.ok);
  assert.deepEqual(s.killed, [31]);
  assert.equal(env.clock.sleeps.length, 2);
});

void test('a LOCK TABLES holder blocking read_only is killed and read_only retried', async () => {
  const s = newServer();
  s.lockWaitOnce = true;
  s.sessions = [{ id: 40, user: 'app', command: 'Sleep', info: null }];
  const r = await mysqlDenyWrite(envOf(s), { mode: 'hard', maxKillRetries: 1 });
  assert.ok(r.ok);
  assert.equal(s.readOnly, true);
  assert.deepEqual(s.killed, [40]);
});

void test('read_only that does not read back as on is AGENT_DENY_WRITE_UNVERIFIED', async () => {
  const s = newServer();
  s.ignoreReadOnly = true;
  const r = await mysqlDenyWrite(envOf(s), { mode: 'hard', maxKillRetries: 1 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_DENY_WRITE_UNVERIFIED');
});

void test('a server that refuses SET GLOBAL read_only is AGENT_MYSQL_FAILED with the errno kept', async () => {
  const s = newServer();
  s.failOn.set('SET GLOBAL read_only', { code: 'SQL_SERVER_ERROR', message: 'Access denied; you need READ_ONLY ADMIN', errno: 1227 });
  const r = await mysqlDenyWrite(envOf(s), { mode: 'hard', maxKillRetries: 1 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_MYSQL_FAILED');
  assert.equal(r.error.cause && 'errno' in r.error.cause ? r.error.cause.errno : undefined, 1227);
});
