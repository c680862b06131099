import { test } from 'node:test';
import assert from 'node:assert/strict';
import { err, ok } from '@mmm-ts/protocol';
import { setActiveMaster, type SetActiveMasterOptions } from '../../src/actions/set-active-master.js';
import type { SqlConnector } from '@mmm-ts/protocol/mysql';
import { envOf, newServer, replicaRow, simSql } from './fake-server.js';

const refused: SqlConnector = () => Promise.resolve(err({ code: 'SQL_CONNECT_REFUSED', message: 'refused' }));
const opts = (over: Partial<SetActiveMasterOptions> = {}): SetActiveMasterOptions => ({
  newMaster: { host: '10.0.0.12', port: 3306 },
  replicationUser: 'repl',
  replicationPassword: "s3cr'et",
  agentEndpointOf: (host) => ({ host, port: 3306, user: 'mmm_agent', password: 'x' }),
  connect: refused,
  syncTimeoutMs: 5000,
  ...over,
});

void test('repoints by GTID: STOP, CHANGE MASTER … master_use_gtid=slave_pos, START, confirmed', async () => {
  const me = newServer();
  me.replica = replicaRow();
  const old = newServer();
  old.binlogPos = '0-1-10';
  me.currentPos = '0-1-10';
  const env = envOf(me);
  const r = await setActiveMaster(env, opts({ connect: () => Promise.resolve(ok(simSql(old, 5))) }));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.value.changed, true);
  assert.equal(r.value.previousHost, '10.0.0.11');
  assert.equal(r.value.caughtUpWithOld, true);
  assert.equal(r.value.status.sourceHost, '10.0.0.12');
  const sqls = env.sql.calls.map((c) => c.sql);
  const i = sqls.indexOf('STOP REPLICA');
  assert.ok(i >= 0 && sqls[i + 1]?.startsWith('CHANGE MASTER TO') && sqls[i + 2] === 'START REPLICA');
  const change = env.sql.calls[i + 1];
  assert.deepEqual(change?.params, ['10.0.0.12', 3306, 'repl', "s3cr'et", 1]);
  assert.doesNotMatch(change?.sql ?? '', /s3cr/);
});

void test('already replicating from the new master by GTID: no change', async () => {
  const me = newServer();
  me.replica = replicaRow({ Master_Host: '10.0.0.12' });
  const env = envOf(me);
  const r = await setActiveMaster(env, opts());
  assert.ok(r.ok);
  assert.equal(r.value.changed, false);
  assert.ok(!env.sql.calls.some((c) => c.sql === 'STOP REPLICA'));
});

void test('old master unreachable: repoints without the catch-up wait', async () => {
  const me = newServer();
  me.replica = replicaRow();
  const r = await setActiveMaster(envOf(me), opts());
  assert.ok(r.ok);
  assert.equal(r.value.caughtUpWithOld, null);
});

void test('invalid targets are refused before touching replication', async () => {
  for (const newMaster of [{ host: "x'; DROP", port: 3306 }, { host: '10.0.0.12', port: 0 }, { host: '10.0.0.12', port: 70000 }]) {
    const me = newServer();
    me.replica = replicaRow();
    const env = envOf(me);
    const r = await setActiveMaster(env, opts({ newMaster }));
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'AGENT_REPOINT_BAD_TARGET');
    assert.equal(env.sql.calls.length, 0);
  }
});

void test('a failing START REPLICA is AGENT_MYSQL_FAILED', async () => {
  const me = newServer();
  me.replica = replicaRow();
  me.failOn.set('START REPLICA', { code: 'SQL_SERVER_ERROR', message: 'no', errno: 1200 });
  const r = await setActiveMaster(envOf(me), opts());
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_MYSQL_FAILED');
});
