import { test } from 'node:test';
import assert from 'node:assert/strict';
import { turnOffSlave, turnOnSlave } from '../../src/actions/replication-threads.js';
import { envOf, newServer, replicaRow } from './fake-server.js';

void test('turn_off_slave stops both threads and verifies; turn_on_slave starts them', async () => {
  const s = newServer();
  s.replica = replicaRow();
  const off = await turnOffSlave(envOf(s));
  assert.ok(off.ok);
  assert.equal(off.value.sqlRunning, false);
  const on = await turnOnSlave(envOf(s));
  assert.ok(on.ok);
  assert.equal(on.value.ioThread, 'connecting');
});

void test('turn_on_slave on a server without replication is AGENT_NOT_A_REPLICA', async () => {
  const r = await turnOnSlave(envOf(newServer()));
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_NOT_A_REPLICA');
});
