import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_DEFAULTS } from '../../src/config/index.js';
import { edit, parseOk, VALID } from './fixtures.js';

void test('a minimal config gets every documented default', () => {
  const c = parseOk(VALID.join('\n'));
  assert.equal(c.file, 'c.yaml');
  assert.equal(c.cluster, 't');
  assert.equal(c.activeMasterRole, 'writer');
  assert.deepEqual(c.monitor, {
    ip: '127.0.0.1', port: 9988, http: null, statusPath: '/var/lib/mmm/t.status', mode: 'active', pingIps: [],
    carefulStartup: true, autoSetOnlineMs: 0, flapDurationMs: 3_600_000, flapCount: 3, waitForOtherMasterMs: 120_000, failoverBlockMs: 3_600_000,
  });
  assert.deepEqual(c.hosts.db3, {
    name: 'db3', ip: '10.0.0.13', mode: 'slave', peer: null, agentPort: 9989, mysqlPort: 3306, interface: 'eth0',
    agentUser: 'mmm_agent', agentPassword: 'a', monitorUser: 'mmm_monitor', monitorPassword: 'm',
    replicationUser: 'repl', replicationPassword: 'r',
  });
  const check = { intervalMs: 250, trapMs: 1000, timeoutMs: 400 };
  const repl = { intervalMs: 500, trapMs: 1000, timeoutMs: 400 };
  assert.deepEqual(c.checks, { ping: check, mysql: check, repThreads: repl, repBacklog: { ...repl, maxBacklogMs: 60_000 } });
  assert.deepEqual(c.agent, { denyWrite: 'hard', maxKillRetries: 10, syncTimeoutMs: 30_000 });
  assert.deepEqual(c.hooks, {
    masterIpFailoverScript: null, masterIpOnlineChangeScript: null, shutdownScript: null, reportScript: null, sshUser: 'root', secondaryCheck: 'agents',
  });
  assert.deepEqual(c.security, { secret: 'k', mmmV1Compat: false });
  assert.equal(CONFIG_DEFAULTS.monitor.port, 9988);
});

void test('hostNames are sorted, roleNames keep config order, roles are compiled', () => {
  const c = parseOk(edit({ 7: '  db2: { ip: 10.0.0.11, mode: master, peer: db1 }', 8: '  db1: { ip: 10.0.0.12, mode: master, peer: db2 }' }));
  assert.deepEqual(c.hostNames, ['db1', 'db2', 'db3']);
  assert.deepEqual(c.roleNames, ['writer', 'reader']);
  assert.deepEqual(c.roles.writer, { name: 'writer', mode: 'exclusive', hosts: ['db1', 'db2'], ips: ['10.0.0.50'], prefer: null });
  assert.deepEqual(c.roles.reader?.ips, ['10.0.0.51', '10.0.0.52']);
});

void test('host_defaults merge into each host and a host overrides any of them', () => {
  const c = parseOk(edit({
    2: 'host_defaults: { agent_port: 7001, mysql_port: 3307, interface: br0, agent_user: ag, monitor_user: mo, replication_user: rp,',
    3: '  agent_password: a, monitor_password: m, replication_password: r }',
    4: null, 5: null,
    9: '  db3: { ip: 10.0.0.13, mode: slave, mysql_port: 3310, interface: eth1, agent_password: other, replication_user: r3 }',
  }));
  const d1 = c.hosts.db1;
  assert.equal(d1?.agentPort, 7001);
  assert.equal(d1?.mysqlPort, 3307);
  assert.equal(d1?.interface, 'br0');
  assert.equal(d1?.agentUser, 'ag');
  assert.equal(d1?.monitorUser, 'mo');
  assert.equal(d1?.replicationUser, 'rp');
  assert.equal(d1?.agentPassword, 'a');
  const d3 = c.hosts.db3;
  assert.equal(d3?.agentPort, 7001);
  assert.equal(d3?.mysqlPort, 3310);
  assert.equal(d3?.interface, 'eth1');
  assert.equal(d3?.agentPassword, 'other');
  assert.equal(d3?.replicationUser, 'r3');
  assert.equal(d3?.monitorPassword, 'm');
});

void test('every section can be set explicitly', () => {
  const c = parseOk(edit({}, [
    'active_master_role: writer',
    'monitor: { ip: 10.0.0.1, port: 9000, http: "127.0.0.1:9990", status_path: /tmp/s, mode: passive, ping_ips: [10.0.0.1, 10.0.0.2],',
    '  careful_startup: false, auto_set_online: 30s, flap_duration: 10m, flap_count: 5, wait_for_other_master: 5 }',
    'checks:',
    '  ping: { interval: 250ms, trap: 1s, timeout: 100ms }',
    '  rep_backlog: { max_backlog: 1.5s }',
    'agent: { deny_write: soft, max_kill_retries: 0, sync_timeout: 2s }',
    'hooks: { master_ip_failover_script: /bin/f, master_ip_online_change_script: /bin/o, shutdown_script: /bin/s, report_script: /bin/r, secondary_check: "off" }',
  ]));
  assert.deepEqual(c.monitor, {
    ip: '10.0.0.1', port: 9000, http: { host: '127.0.0.1', port: 9990 }, statusPath: '/tmp/s', mode: 'passive', pingIps: ['10.0.0.1', '10.0.0.2'],
    carefulStartup: false, autoSetOnlineMs: 30_000, flapDurationMs: 600_000, flapCount: 5, waitForOtherMasterMs: 5000, failoverBlockMs: 3_600_000,
  });
  assert.deepEqual(c.checks.ping, { intervalMs: 250, trapMs: 1000, timeoutMs: 100 });
  assert.deepEqual(c.checks.repBacklog, { intervalMs: 500, trapMs: 1000, timeoutMs: 400, maxBacklogMs: 1500 });
  assert.deepEqual(c.agent, { denyWrite: 'soft', maxKillRetries: 0, syncTimeoutMs: 2000 });
  assert.deepEqual(c.hooks, {
    masterIpFailoverScript: { path: '/bin/f', timeoutMs: 10_000, onFailure: 'default' },
    masterIpOnlineChangeScript: { path: '/bin/o', timeoutMs: 10_000, onFailure: 'default' },
    shutdownScript: { path: '/bin/s', timeoutMs: 30_000, onFailure: 'default' },
    reportScript: { path: '/bin/r', timeoutMs: 30_000, onFailure: 'default' },
    sshUser: 'root',
    secondaryCheck: 'off',
  });
});

void test('mmm_v1_compat: true needs no secret', () => {
  const c = parseOk(edit({ 14: '  mmm_v1_compat: true' }));
  assert.deepEqual(c.security, { secret: null, mmmV1Compat: true });
});

void test('the result is deep-frozen: writes throw in strict mode', () => {
  const c = parseOk(VALID.join('\n'));
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.hosts) && Object.isFrozen(c.hosts.db1) && Object.isFrozen(c.roles.writer?.ips));
  assert.throws(() => { (c as { cluster: string }).cluster = 'x'; }, TypeError);
  assert.throws(() => { (c.monitor as { port: number }).port = 1; }, TypeError);
  assert.throws(() => { (c.roles.writer?.ips as string[]).push('10.0.0.99'); }, TypeError);
  assert.throws(() => { (c.hosts as Record<string, unknown>).db9 = {}; }, TypeError);
});

void test("the spec's example config parses (secret_file replaced by an inline secret)", () => {
  const path = fileURLToPath(new URL('../../../test/config/spec-example.yaml', import.meta.url));
  const c = parseOk(readFileSync(path, 'utf8'), path);
  assert.equal(c.cluster, 'main');
  assert.deepEqual(c.hostNames, ['db1', 'db2', 'db3']);
  assert.equal(c.hosts.db2?.peer, 'db1');
  assert.equal(c.roles.writer?.prefer, 'db1');
  assert.deepEqual(c.monitor.http, { host: '127.0.0.1', port: 9990 });
  assert.equal(c.monitor.flapDurationMs, 3_600_000);
  assert.equal(c.hooks.reportScript?.path, '/usr/local/bin/report.sh');
  assert.equal(c.security.secret, 'example-shared-secret');
});
