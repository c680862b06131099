import { test } from 'node:test';
import assert from 'node:assert/strict';
import { err, ok, silentLogger } from '@mmm-ts/protocol';
import { discoverSystemStatus } from '../src/discovery.js';
import { reassertRoles } from '../src/reassert.js';
import { createFakeIpOps } from '../src/testing/index.js';
import { MARIA, newServer, replicaRow, simSql } from './actions/fake-server.js';

const roles = [
  { name: 'writer', ip: '10.0.0.50' },
  { name: 'reader', ip: '10.0.0.51' },
  { name: 'reader', ip: '10.0.0.52' },
];

void test('discovery reports writability, role IPs in config order, and the replication source', async () => {
  const s = newServer();
  s.replica = replicaRow({ Master_Host: '10.0.0.12' });
  const sql = simSql(s);
  const r = await discoverSystemStatus({
    openLocal: () => Promise.resolve(ok({ sql, dialect: MARIA })),
    ipOps: createFakeIpOps({ eth0: ['10.0.0.52', '10.0.0.11', '10.0.0.50'] }),
    iface: 'eth0', configuredRoles: roles, logger: silentLogger,
  });
  assert.deepEqual(r, { writable: true, roleIpsOnInterface: [roles[0], roles[2]], replicationSource: '10.0.0.12' });
  assert.equal(sql.closed, true);
});

void test('discovery answers with writable=null while MySQL is down', async () => {
  const r = await discoverSystemStatus({
    openLocal: () => Promise.resolve(err({ code: 'AGENT_MYSQL_UNAVAILABLE', message: 'refused' })),
    ipOps: createFakeIpOps({ eth0: ['10.0.0.51'] }),
    iface: 'eth0', configuredRoles: roles, logger: silentLogger,
  });
  assert.deepEqual(r, { writable: null, roleIpsOnInterface: [roles[1]], replicationSource: '' });
});

void test('reassert re-adds a missing IP and re-opens writes only for the writer role', async () => {
  const s = newServer();
  s.readOnly = true;
  const ipOps = createFakeIpOps({ eth0: ['10.0.0.51'] });
  const open = () => Promise.resolve(ok({ sql: simSql(s), dialect: MARIA }));
  const r = await reassertRoles({ heldRoles: [roles[0]!, roles[1]!], writerRole: 'writer', iface: 'eth0', ipOps, openLocal: open, logger: silentLogger });
  assert.deepEqual(r, { repaired: ['ip_missing(10.0.0.50)', 'read_only_on'], errors: [] });
  assert.equal(s.readOnly, false);
  assert.deepEqual(ipOps.announced.sort(), ['eth0 10.0.0.50', 'eth0 10.0.0.51']);
});

void test('reassert leaves read_only alone on a host without the writer role (flaw 9)', async () => {
  const s = newServer();
  s.readOnly = true;
  const ipOps = createFakeIpOps({ eth0: ['10.0.0.51'] });
  const r = await reassertRoles({ heldRoles: [roles[1]!], writerRole: 'writer', iface: 'eth0', ipOps, openLocal: () => Promise.resolve(ok({ sql: simSql(s), dialect: MARIA })), logger: silentLogger });
  assert.deepEqual(r, { repaired: [], errors: [] });
  assert.equal(s.readOnly, true);
});
