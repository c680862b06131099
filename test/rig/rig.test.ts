// The rig does what tests will rely on: GTID replication both ways, read_only fencing the app user,
// VIPs reachable from the client namespace and movable with gratuitous ARP, server kill/stop/restart,
// link cut and restore, and a destroy that leaves nothing behind. One rig: prefix rt1, 10.200.10.0/24.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRig, rigLinks, rigNamespaces, rigPids, type Rig } from './index.js';
import { eventually } from '../lib/eventually.js';

let rig: Rig;
const t0 = Date.now();
const log = (m: string): void => {
  if (process.env['RIG_DEBUG']) process.stderr.write(`[rt1 +${Date.now() - t0}ms] ${m}\n`);
};

before(async () => {
  rig = await createRig({ prefix: 'rt1', subnet: 10, log });
});
after(async () => {
  await rig.destroy();
});

const errno = (e: unknown): number | undefined => (e as { errno?: number }).errno;
const ids = async (host: string): Promise<number[]> =>
  (await rig.sql(host, 'SELECT id FROM app.writes ORDER BY id')).map((r) => Number(r['id']));
/** `mariadb` run from the client namespace as the app user; stdout is the bare result. */
const fromClient = (ip: string, sql: string, connectTimeoutS = 2): Promise<{ stdout: string; exitCode: number | null }> =>
  rig.execClient(['mariadb', '-h', ip, '-u', rig.users.app.user, `-p${rig.users.app.password}`, `--connect-timeout=${connectTimeoutS}`, '-N', '-B', '-e', sql]);
const clientNeighbourMac = async (ip: string): Promise<string> => {
  const r = await rig.execClient(['ip', '-j', 'neigh', 'show', ip]);
  const entries = JSON.parse(r.stdout || '[]') as { lladdr?: string }[];
  return entries[0]?.lladdr ?? '';
};

void test('every host replicates by GTID from its source, and only db1 starts writable', async () => {
  for (const h of rig.hosts) {
    const [s] = await rig.sql(h.name, 'SHOW SLAVE STATUS');
    assert.ok(s, `${h.name} has replication configured`);
    assert.equal(s['Slave_IO_Running'], 'Yes', h.name);
    assert.equal(s['Slave_SQL_Running'], 'Yes', h.name);
    assert.equal(s['Using_Gtid'], 'Slave_Pos', h.name);
    assert.equal(s['Master_Host'], rig.host(h.source).ip, h.name);
    const [v] = await rig.sql(h.name, 'SELECT @@read_only AS ro, @@server_id AS id, @@gtid_strict_mode AS strict');
    assert.equal(Number(v?.['ro']), h.name === 'db1' ? 0 : 1, `${h.name} read_only`);
    assert.equal(Number(v?.['id']), h.serverId);
    assert.equal(Number(v?.['strict']), 1);
  }
  assert.deepEqual(rig.hosts.map((h) => [h.name, h.mode, h.peer]), [['db1', 'master', 'db2'], ['db2', 'master', 'db1'], ['db3', 'slave', null]]);
});

void test('a write on db1 reaches db2 and db3, a write on db2 reaches db1 and db3', async () => {
  await rig.sql('db1', "INSERT INTO app.writes (id, host) VALUES (1, 'db1')");
  await rig.waitReplicationIdle();
  assert.deepEqual(await ids('db2'), [1]);
  assert.deepEqual(await ids('db3'), [1]);
  // The rig admin holds READ_ONLY ADMIN, so it writes through db2's read_only.
  await rig.sql('db2', "INSERT INTO app.writes (id, host) VALUES (2, 'db2')");
  await rig.waitReplicationIdle();
  assert.deepEqual(await ids('db1'), [1, 2]);
  assert.deepEqual(await ids('db3'), [1, 2]);
  const [pos] = await rig.sql('db3', 'SELECT @@gtid_slave_pos AS p');
  assert.match(String(pos?.['p']), /^0-\d+-2$/);
});

void test('read_only fences the app user (1290) and lifting it lets the app write', async () => {
  const app = { as: rig.users.app, via: 'tcp' as const };
  await assert.rejects(rig.sql('db2', "INSERT INTO app.writes (id, host) VALUES (3, 'app')", [], app), (e) => errno(e) === 1290);
  await rig.sql('db2', 'SET GLOBAL read_only = 0');
  try {
    await rig.sql('db2', "INSERT INTO app.writes (id, host) VALUES (3, 'app')", [], app);
  } finally {
    await rig.sql('db2', 'SET GLOBAL read_only = 1');
  }
  await rig.waitReplicationIdle();
  assert.deepEqual(await ids('db1'), [1, 2, 3]);
  // The app user has no rights outside its database.
  await assert.rejects(rig.sql('db1', 'SELECT user FROM mysql.user', [], app), (e) => errno(e) === 1142);
});

void test('a VIP on db2 is reachable from the client, and after a move with gratuitous ARP it reaches db3', async () => {
  const vip = rig.writerVip;
  await rig.addVip('db2', vip);
  await rig.addVip('db2', vip); // idempotent
  assert.equal(await rig.hasVip('db2', vip), true);
  const first = await fromClient(vip, 'SELECT @@server_id');
  assert.equal(first.exitCode, 0);
  assert.equal(first.stdout, String(rig.host('db2').serverId));
  const db2Mac = await rig.mac('db2');
  const db3Mac = await rig.mac('db3');
  assert.notEqual(db2Mac, db3Mac);
  assert.equal(await clientNeighbourMac(vip), db2Mac);

  await rig.delVip('db2', vip);
  await rig.delVip('db2', vip); // idempotent
  assert.equal(await rig.hasVip('db2', vip), false);
  await rig.addVip('db3', vip);
  rig.announceVip('db3', vip);
  // The client's existing ARP entry is corrected by the gratuitous ARP, not by a 30 s re-probe.
  await eventually(() => clientNeighbourMac(vip), (mac) => mac === db3Mac, { timeoutMs: 5000 });
  const moved = await eventually(() => fromClient(vip, 'SELECT @@server_id'), (r) => r.exitCode === 0, { timeoutMs: 5000 });
  assert.equal(moved.stdout, String(rig.host('db3').serverId));
  await rig.delVip('db3', vip);
});

void test('a killed server is gone at once, restarts, and catches up by itself', async () => {
  const before = rig.host('db3').pid();
  assert.ok(before !== null);
  await rig.killMysqld('db3');
  assert.equal(rig.host('db3').pid(), null);
  await assert.rejects(rig.sql('db3', 'SELECT 1', [], { timeoutMs: 1000 }));
  await rig.sql('db1', "INSERT INTO app.writes (id, host) VALUES (4, 'db1')");
  await rig.startMysqld('db3');
  const after = rig.host('db3').pid();
  assert.ok(after !== null && after !== before);
  await rig.waitReplicationIdle();
  assert.deepEqual(await ids('db3'), [1, 2, 3, 4]);
});

void test('a stopped server accepts TCP but does not answer; continued, it answers again', async () => {
  await rig.stopMysqld('db3');
  try {
    await assert.rejects(rig.sql('db3', 'SELECT 1', [], { via: 'tcp', timeoutMs: 500 }));
  } finally {
    await rig.contMysqld('db3');
  }
  const [row] = await eventually(() => rig.sql('db3', 'SELECT 1 AS one', [], { via: 'tcp', timeoutMs: 1000 }), (r) => r.length === 1);
  assert.equal(Number(row?.['one']), 1);
});

void test('linkDown cuts db1 off from the client namespace and linkUp restores it', async () => {
  const ip = rig.host('db1').ip;
  const arp = (): Promise<{ exitCode: number | null }> => rig.execClient(['arping', '-c', '1', '-w', '1', '-I', 'eth0', ip]);
  assert.equal((await arp()).exitCode, 0);
  await rig.linkDown('db1');
  try {
    assert.notEqual((await arp()).exitCode, 0);
    assert.notEqual((await fromClient(ip, 'SELECT 1', 1)).exitCode, 0);
    // Its server still runs: the socket does not depend on the network.
    assert.equal((await rig.sql('db1', 'SELECT 1 AS one'))[0]?.['one'], 1);
  } finally {
    await rig.linkUp('db1');
  }
  await eventually(arp, (r) => r.exitCode === 0, { timeoutMs: 5000 });
  const r = await eventually(() => fromClient(ip, 'SELECT @@server_id'), (x) => x.exitCode === 0, { timeoutMs: 5000 });
  assert.equal(r.stdout, String(rig.host('db1').serverId));
});

void test('the generated config describes the rig', () => {
  const yaml = rig.clusterYaml();
  assert.match(yaml, /db1: \{ ip: "10\.200\.10\.11", mode: master, peer: db2 \}/);
  assert.match(yaml, /ips: \["10\.200\.10\.100"\], prefer: db1/);
  assert.match(yaml, /secret: "rig-secret-rt1"/);
  assert.match(rig.clusterYaml({ secret: null }), /mmm_v1_compat: true/);
});

void test('destroy leaves no namespace, link, process or file of the rig, and can be repeated', async () => {
  const pids = rig.hosts.map((h) => h.pid()).filter((p): p is number => p !== null);
  assert.equal(pids.length, 3);
  await rig.destroy();
  await rig.destroy();
  assert.deepEqual(rigNamespaces('rt1'), []);
  assert.deepEqual(rigLinks('rt1'), []);
  assert.deepEqual(rigPids('rt1', rig.baseDir), []);
  assert.equal(existsSync(rig.baseDir), false);
  assert.equal(rig.hosts.every((h) => h.pid() === null), true);
  await assert.rejects(rig.sql('db1', 'SELECT 1'), { code: 'RIG_DESTROYED' });
});
