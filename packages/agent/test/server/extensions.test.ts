// The extension commands' replies and refusals, field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, rigAgent } from './fixture.js';

test('RENEW_LEASE checks lease_ms', async () => {
  const r = await rigAgent();
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|100'), 'OK: Lease renewed|100');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|600000'), 'OK: Lease renewed|600000');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|99'), 'ERROR: Lease 99 ms is out of range (100-600000)!');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|600001'), 'ERROR: Lease 600001 ms is out of range (100-600000)!');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|1e3'), "ERROR: Invalid lease '1e3'!");
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|'), "ERROR: Invalid lease ''!");
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1'), 'ERROR: RENEW_LEASE needs 1 parameter (lease_ms), got 0!');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db2|1000'), "ERROR: Invalid hostname in command (db2)! My name is 'db1'");
});

test('PEER_STATUS reports the time since the monitor last acted, and the state', async () => {
  const r = await rigAgent();
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db2'), 'OK: Returning status!||UNKNOWN|');
  await ask(r, 'RENEW_LEASE|1|db1|1000');
  r.advance(42);
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db3'), 'OK: Returning status!|42|UNKNOWN|');
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db9'), "ERROR: Invalid asker 'db9'!");
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db1'), "ERROR: Invalid asker 'db1' (this host)!");
  assert.equal(await ask(r, 'PEER_STATUS|1|db1'), 'ERROR: asker missing');
});

test('GET_AGENT_STATUS and PING are not monitor contact for the failsafe', async () => {
  const r = await rigAgent();
  await ask(r, 'PING|1|db1');
  await ask(r, 'GET_AGENT_STATUS|1|db1');
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db2'), 'OK: Returning status!||UNKNOWN|');
});

test('CHECK_HOST: ok and io_running when this replica receives from a reachable target', async () => {
  const r = await rigAgent({ host: 'db3', withVip: false });
  r.replicaRow = { Master_Host: '10.0.0.11', Master_Port: 3306, Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Last_IO_Error: '' };
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1'), /^OK: Returning status!\|ok\|io_running\|mysql: connected to 10\.0\.0\.11:3306 in \d+ ms; replication: io running$/);
  r.replicaRow = { Master_Host: '10.0.0.11', Master_Port: 3306, Slave_IO_Running: 'Connecting', Slave_SQL_Running: 'Yes', Last_IO_Error: "error reconnecting to master 'repl@10.0.0.11:3306'|x" };
  r.remote.set('10.0.0.11', { code: 'SQL_CONNECT_REFUSED', message: 'MySQL at 10.0.0.11:3306 refused the connection', cause: 'ECONNREFUSED' });
  const refused = await ask(r, 'CHECK_HOST|1|db3|db1');
  assert.match(refused, /^OK: Returning status!\|refused\|io_connecting\|mysql: MySQL at 10\.0\.0\.11:3306 refused the connection; replication: io connecting: error reconnecting to master 'repl@10\.0\.0\.11:3306' x$/);
  r.remote.set('10.0.0.11', { code: 'SQL_CONNECT_TIMEOUT', message: 'did not answer in time', cause: 'ETIMEDOUT' });
  r.replicaRow = { Master_Host: '10.0.0.11', Master_Port: 3306, Slave_IO_Running: 'No', Slave_SQL_Running: 'Yes', Last_IO_Error: '' };
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1'), /^OK: Returning status!\|timeout\|io_stopped\|/);
  r.remote.set('10.0.0.11', { code: 'SQL_CONNECT_FAILED', message: 'no route', cause: 'EHOSTUNREACH' });
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1'), /^OK: Returning status!\|timeout\|/);
  r.remote.set('10.0.0.11', { code: 'SQL_CONNECT_FAILED', message: 'Access denied', errno: 1045 });
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1'), /^OK: Returning status!\|error\|/);
});

test('CHECK_HOST with deny_ms: a "not ok" answer withdraws this agent\'s failsafe support of the target for that long', async () => {
  const r = await rigAgent({ host: 'db3', withVip: false });
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1|4000'), /^OK: Returning status!\|ok\|/);
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db1'), 'OK: Returning status!||UNKNOWN|', 'ok denies nothing');
  r.remote.set('10.0.0.11', { code: 'SQL_CONNECT_TIMEOUT', message: 'did not answer in time', cause: 'ETIMEDOUT' });
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1'), /^OK: Returning status!\|timeout\|/);
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db1'), 'OK: Returning status!||UNKNOWN|', 'without deny_ms nothing is recorded');
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1|4000'), /^OK: Returning status!\|timeout\|/);
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db1'), 'OK: Returning status!||UNKNOWN|1');
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db2'), 'OK: Returning status!||UNKNOWN|', 'only the target is denied');
  r.remote.delete('10.0.0.11');
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db1|4000'), /^OK: Returning status!\|ok\|/);
  r.advance(3_999);
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db1'), 'OK: Returning status!||UNKNOWN|1', 'a later ok does not lift a denial the monitor may count on');
  r.advance(1);
  assert.equal(await ask(r, 'PEER_STATUS|1|db3|db1'), 'OK: Returning status!||UNKNOWN|');
  assert.equal(await ask(r, 'CHECK_HOST|1|db3|db1|99'), 'ERROR: Deny time 99 ms is out of range (100-600000)!');
  assert.equal(await ask(r, 'CHECK_HOST|1|db3|db1|4s'), "ERROR: Invalid deny time '4s'!");
});

test('CHECK_HOST: not_replicating_from_target when this host replicates from elsewhere or not at all', async () => {
  const r = await rigAgent({ host: 'db3', withVip: false });
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db2'), /^OK: Returning status!\|ok\|not_replicating_from_target\|.*not a replica$/);
  r.replicaRow = { Master_Host: '10.0.0.11', Master_Port: 3306, Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Last_IO_Error: '' };
  assert.match(await ask(r, 'CHECK_HOST|1|db3|db2'), /\|not_replicating_from_target\|.*replicates from 10\.0\.0\.11$/);
  assert.equal(await ask(r, 'CHECK_HOST|1|db3|db3'), "ERROR: Invalid target host 'db3' (this host)!");
  assert.equal(await ask(r, 'CHECK_HOST|1|db3|10.0.0.11'), "ERROR: Invalid target host '10.0.0.11'!");
});

test('unknown commands still get MMM\'s refusal; MMM commands are unchanged', async () => {
  const r = await rigAgent();
  assert.equal(await ask(r, 'RENEW_LEASES|1|db1|1000'), "ERROR: Invalid command 'RENEW_LEASES'!");
  assert.equal(await ask(r, 'renew_lease|1|db1|1000'), "ERROR: Invalid command 'renew_lease'!");
  assert.equal(await ask(r, 'PING|1|db1'), 'OK: Pinged!');
  assert.equal(await r.agent.handle('GET_FENCE_STATUS|1|db1'), 'OK: Returning status!||1000||UP:12.50');
});
