// The agent's actions against a real 3-host MariaDB 10.11 rig (prefix ag1, 10.200.20.0/24): each
// action is proved by what the servers and the network then do, not by what the action says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import {
  checkIp, clearIp, configureIp, createExecaIpOps, discoverSystemStatus, localEndpoint, mysqlAllowWrite,
  mysqlDenyWrite, openDb, readReplicaStatus, setActiveMaster, syncWithMaster, systemClock, turnOffSlave, turnOnSlave,
  type SqlEnv,
} from '@mmm-ts/agent';
import { connectMysql, type MysqlEndpoint, type Sql } from '@mmm-ts/protocol/mysql';
import { createRig, type Rig } from '../rig/index.js';
import { eventually } from '../lib/eventually.js';

let rig: Rig;
const opened: Sql[] = [];

before(async () => {
  rig = await createRig({ prefix: 'ag1', subnet: 20, hosts: 3 });
});
after(async () => {
  for (const s of opened) await s.close();
  await rig.destroy();
});

/** How the agent on `host` reaches its own server (from the root namespace, over the bridge). */
function agentEndpoint(host: string): MysqlEndpoint {
  return localEndpoint({ host: rig.host(host).ip, mysqlPort: 3306, agentUser: rig.users.agent.user, agentPassword: rig.users.agent.password });
}
async function envFor(host: string): Promise<SqlEnv> {
  const db = await openDb(connectMysql, agentEndpoint(host), 2000);
  assert.ok(db.ok, JSON.stringify(!db.ok && db.error));
  opened.push(db.value.sql);
  return { ...db.value, clock: systemClock, logger: silentLogger };
}
async function appSession(host: string): Promise<Sql> {
  const c = await connectMysql({ host: rig.host(host).ip, port: 3306, ...rig.users.app }, 2000);
  assert.ok(c.ok);
  opened.push(c.value);
  return c.value;
}
const errno = (e: unknown): number | undefined => (e as { errno?: number }).errno;
const checksum = async (host: string): Promise<string> =>
  String((await rig.sql(host, 'CHECKSUM TABLE app.writes'))[0]?.['Checksum']);
const count = async (host: string): Promise<number> => Number((await rig.sql(host, 'SELECT COUNT(*) AS n FROM app.writes'))[0]?.['n']);

void test('deny_write fences the app user (1290), kills idle and in-transaction app sessions, spares replication; allow_write reopens', async () => {
  const env = await envFor('db1');
  const inTx = await appSession('db1');
  assert.ok((await inTx.query('BEGIN')).ok);
  assert.ok((await inTx.query("INSERT INTO app.writes (id, host) VALUES (1, 'tx')")).ok);
  const idle = await appSession('db1');
  assert.ok((await idle.query('SELECT 1')).ok);

  const r = await mysqlDenyWrite(env, { mode: 'hard', maxKillRetries: 2, killRetryIntervalMs: 100, spareUsers: [rig.users.monitor.user] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(r.value.readOnly, true);
  assert.ok(r.value.killed >= 2);

  const left = await rig.sql('db1', 'SELECT ID AS id, USER AS user, COMMAND AS command FROM information_schema.PROCESSLIST');
  const ids = new Set(left.map((x) => Number(x['id'])));
  assert.ok(!ids.has(inTx.threadId) && !ids.has(idle.threadId), 'both app sessions are gone');
  assert.ok(left.some((x) => x['command'] === 'Binlog Dump'), 'binlog dump threads to db2/db3 survive');
  assert.ok(left.some((x) => x['command'] === 'Slave_IO') && left.some((x) => x['command'] === 'Slave_SQL'), "db1's own replication threads survive");
  assert.ok(!(await inTx.query('COMMIT')).ok, 'the open transaction cannot commit');
  assert.equal(await count('db1'), 0, 'the uncommitted row never landed');

  await assert.rejects(
    rig.sql('db1', "INSERT INTO app.writes (id, host) VALUES (2, 'app')", [], { as: rig.users.app }),
    (e) => errno(e) === 1290,
  );
  const [st2] = await rig.sql('db2', 'SHOW SLAVE STATUS');
  assert.equal(st2?.['Slave_IO_Running'], 'Yes', "db2's IO thread from db1 still runs");

  const again = await mysqlDenyWrite(env, { mode: 'hard', maxKillRetries: 1, killRetryIntervalMs: 100 });
  assert.ok(again.ok && again.value.readOnly, 'deny_write is idempotent');

  const a = await mysqlAllowWrite(env);
  assert.ok(a.ok);
  assert.deepEqual([a.value.readOnly, a.value.changed], [false, true]);
  await rig.sql('db1', "INSERT INTO app.writes (id, host) VALUES (3, 'app')", [], { as: rig.users.app });
  const a2 = await mysqlAllowWrite(env);
  assert.ok(a2.ok && !a2.value.changed, 'allow_write is idempotent');
  await rig.waitReplicationIdle();
});

void test('configure_ip makes the VIP reach db2 from the client namespace; clear_ip removes it', async () => {
  const ipOps = createExecaIpOps({ netns: rig.host('db2').ns });
  const vip = rig.writerVip;
  const add = await configureIp(ipOps, 'eth0', vip, silentLogger);
  assert.ok(add.ok, JSON.stringify(!add.ok && add.error));
  assert.equal(add.value.added, true);
  assert.equal(await rig.hasVip('db2', vip), true);
  assert.deepEqual(await checkIp(ipOps, 'eth0', vip), { ok: true, value: true });
  const again = await configureIp(ipOps, 'eth0', vip, silentLogger);
  assert.ok(again.ok && !again.value.added, 'configure_ip is idempotent');

  const sid = await eventually(
    () => rig.execClient(['mariadb', '-h', vip, '-u', rig.users.app.user, `-p${rig.users.app.password}`, '--connect-timeout=2', '-N', '-B', '-e', 'SELECT @@server_id']),
    (x) => x.exitCode === 0,
  );
  assert.equal(Number(sid.stdout.trim()), rig.host('db2').serverId);

  const del = await clearIp(ipOps, 'eth0', vip, silentLogger);
  assert.ok(del.ok && del.value.removed);
  assert.equal(await rig.hasVip('db2', vip), false);
  assert.deepEqual(await checkIp(ipOps, 'eth0', vip), { ok: true, value: false });
  const ping = await rig.execClient(['ping', '-c', '1', '-W', '1', vip]);
  assert.notEqual(ping.exitCode, 0, 'nobody answers on the VIP any more');
});

void test('sync_with_master refuses while the SQL thread is stopped and succeeds once caught up', async () => {
  const env = await envFor('db2');
  const peer = agentEndpoint('db1');
  await rig.sql('db2', 'STOP SLAVE SQL_THREAD');
  await rig.sql('db1', "INSERT INTO app.writes (id, host) VALUES (10, 'db1')");
  const refused = await syncWithMaster(env, { peer, connect: connectMysql, syncTimeoutMs: 2000 });
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'AGENT_SYNC_SQL_THREAD_STOPPED');

  await rig.sql('db2', 'START SLAVE SQL_THREAD');
  const r = await syncWithMaster(env, { peer, connect: connectMysql, syncTimeoutMs: 5000 });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(r.value.source, 'peer');
  assert.equal(r.value.method, 'gtid');
  assert.equal((await rig.sql('db2', 'SELECT id FROM app.writes WHERE id = 10')).length, 1, 'the row is applied on db2');
});

void test('set_active_master repoints db3 from db1 to db2 by GTID: no row lost or duplicated', async () => {
  const env = await envFor('db3');
  for (let i = 100; i < 110; i++) await rig.sql('db1', `INSERT INTO app.writes (id, host) VALUES (${i}, 'db1')`);
  const byIp = new Map(rig.hosts.map((h) => [h.ip, h.name]));
  const r = await setActiveMaster(env, {
    newMaster: { host: rig.host('db2').ip, port: 3306 },
    replicationUser: rig.users.replication.user,
    replicationPassword: rig.users.replication.password,
    agentEndpointOf: (ip) => { const n = byIp.get(ip); return n === undefined ? null : agentEndpoint(n); },
    connect: connectMysql,
    syncTimeoutMs: 5000,
  });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(r.value.changed, true);
  assert.equal(r.value.previousHost, rig.host('db1').ip);
  assert.equal(r.value.caughtUpWithOld, true);

  for (let i = 200; i < 210; i++) await rig.sql('db2', `INSERT INTO app.writes (id, host) VALUES (${i}, 'db2')`);
  await rig.waitReplicationIdle();
  const st = await readReplicaStatus(env);
  assert.ok(st.ok && st.value);
  assert.equal(st.value.sourceHost, rig.host('db2').ip);
  assert.equal(st.value.usingGtid, 'Slave_Pos');
  assert.equal(st.value.sqlRunning, true);
  assert.equal(st.value.lastSqlError, '');
  const sums = await Promise.all(['db1', 'db2', 'db3'].map(checksum));
  assert.equal(new Set(sums).size, 1, `checksums differ: ${sums.join(' ')}`);
  assert.equal(await count('db3'), await count('db1'));

  const again = await setActiveMaster(env, {
    newMaster: { host: rig.host('db2').ip, port: 3306 }, replicationUser: rig.users.replication.user,
    replicationPassword: rig.users.replication.password, agentEndpointOf: () => null, connect: connectMysql, syncTimeoutMs: 1000,
  });
  assert.ok(again.ok && !again.value.changed, 'set_active_master is idempotent');
});

void test('turn_off_slave / turn_on_slave stop and restart replication, verified', async () => {
  const env = await envFor('db3');
  const off = await turnOffSlave(env);
  assert.ok(off.ok && !off.value.sqlRunning && off.value.ioThread === 'stopped');
  const on = await turnOnSlave(env);
  assert.ok(on.ok && on.value.sqlRunning);
  await eventually(async () => (await rig.sql('db3', 'SHOW SLAVE STATUS'))[0]?.['Slave_IO_Running'], (v) => v === 'Yes');
});

void test('discovery reports writability, role IPs on the interface and the source; MySQL down gives null', async () => {
  const ipOps = createExecaIpOps({ netns: rig.host('db1').ns });
  await rig.addVip('db1', rig.readerVips[0] ?? '');
  const roles = [{ name: 'writer', ip: rig.writerVip }, { name: 'reader', ip: rig.readerVips[0] ?? '' }];
  const openLocal = () => openDb(connectMysql, agentEndpoint('db1'), 1000);
  const s = await discoverSystemStatus({ openLocal, ipOps, iface: 'eth0', configuredRoles: roles, logger: silentLogger });
  assert.deepEqual(s, { writable: true, roleIpsOnInterface: [roles[1]], replicationSource: rig.host('db2').ip });

  await rig.killMysqld('db1');
  const down = await discoverSystemStatus({ openLocal, ipOps, iface: 'eth0', configuredRoles: roles, logger: silentLogger });
  assert.deepEqual(down, { writable: null, roleIpsOnInterface: [roles[1]], replicationSource: '' });
  await rig.startMysqld('db1');
  await rig.delVip('db1', rig.readerVips[0] ?? '');
});

