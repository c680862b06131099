import { test } from 'node:test';
import assert from 'node:assert/strict';
import { err, ok } from '@mmm-ts/protocol';
import { syncWithMaster } from '../../src/actions/sync-with-master.js';
import type { SqlConnector } from '@mmm-ts/protocol/mysql';
import { envOf, newServer, replicaRow, simSql, type SimServer } from './fake-server.js';

const peerEp = { host: '10.0.0.12', port: 3306, user: 'mmm_agent', password: 'x' };
const connectTo = (peer: SimServer): SqlConnector => () => Promise.resolve(ok(simSql(peer, 99)));
const refused: SqlConnector = () => Promise.resolve(err({ code: 'SQL_CONNECT_REFUSED', message: 'refused' }));

void test('waits for the peer binlog GTID position with bounded MASTER_GTID_WAIT slices', async () => {
  const me = newServer();
  me.replica = replicaRow();
  me.currentPos = '0-1-5';
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const env = envOf(me);
  const r = await syncWithMaster(env, { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 30_000 });
  assert.deepEqual(r, { ok: true, value: { source: 'peer', method: 'gtid', target: '0-1-9', waited: true } });
  const wait = env.sql.calls.find((c) => c.sql.startsWith('SELECT MASTER_GTID_WAIT'));
  assert.deepEqual(wait?.params, ['0-1-9', 1]);
});

void test('no wait when this host already has the peer position', async () => {
  const me = newServer();
  me.replica = replicaRow();
  me.currentPos = '0-2-9';
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const r = await syncWithMaster(envOf(me), { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 1000 });
  assert.ok(r.ok);
  assert.equal(r.value.waited, false);
});

void test('SQL thread stopped refuses the writer even when this host looks caught up', async () => {
  const me = newServer();
  me.replica = replicaRow({ Slave_SQL_Running: 'No' });
  me.currentPos = '0-2-9';
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const r = await syncWithMaster(envOf(me), { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 1000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_SYNC_SQL_THREAD_STOPPED');
});

void test('peer down: waits for what the IO thread received (Gtid_IO_Pos)', async () => {
  const me = newServer();
  me.replica = replicaRow({ Gtid_IO_Pos: '0-1-12' });
  me.currentPos = '0-1-11';
  const r = await syncWithMaster(envOf(me), { peer: peerEp, connect: refused, syncTimeoutMs: 5000 });
  assert.deepEqual(r, { ok: true, value: { source: 'relay', method: 'gtid', target: '0-1-12', waited: true } });
});

void test('SQL thread stopped: refuses with AGENT_SYNC_SQL_THREAD_STOPPED', async () => {
  const me = newServer();
  me.replica = replicaRow({ Slave_SQL_Running: 'No', Last_SQL_Error: 'Duplicate entry' });
  me.currentPos = '0-1-1';
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const r = await syncWithMaster(envOf(me), { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 1000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_SYNC_SQL_THREAD_STOPPED');
  assert.match(r.error.message, /Duplicate entry/);
});

void test('wait timing out (-1) refuses with AGENT_SYNC_TIMEOUT', async () => {
  const me = newServer();
  me.replica = replicaRow();
  me.currentPos = '0-1-1';
  me.gtidWaitResult = -1;
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const env = envOf(me);
  const r = await syncWithMaster(env, { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 2000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_SYNC_TIMEOUT');
  assert.match(r.error.message, /0-1-9 was not applied within 2 s/);
  assert.equal(env.sql.calls.filter((c) => c.sql.startsWith('SELECT MASTER_GTID_WAIT')).length, 2, 'two 1 s slices');
});

void test('the SQL thread stopping mid-wait is reported after the slice, not at the end of sync_timeout', async () => {
  const me = newServer();
  me.replica = replicaRow();
  me.currentPos = '0-1-1';
  me.gtidWaitResult = -1;
  me.onGtidWait = (s) => { s.replica = { ...(s.replica ?? {}), Slave_SQL_Running: 'No', Last_SQL_Error: 'Duplicate entry' }; };
  const peer = newServer();
  peer.binlogPos = '0-1-9';
  const env = envOf(me);
  const r = await syncWithMaster(env, { peer: peerEp, connect: connectTo(peer), syncTimeoutMs: 120_000 });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_SYNC_SQL_THREAD_STOPPED');
  assert.match(r.error.message, /stopped while waiting for 0-1-9 \(last error: Duplicate entry\)/);
  assert.equal(env.sql.calls.filter((c) => c.sql.startsWith('SELECT MASTER_GTID_WAIT')).length, 1);
});

void test('peer down and no replication: nothing to wait for', async () => {
  const r = await syncWithMaster(envOf(newServer()), { peer: peerEp, connect: refused, syncTimeoutMs: 2000 });
  assert.deepEqual(r, { ok: true, value: { source: 'none', method: 'none', target: '', waited: false } });
});
