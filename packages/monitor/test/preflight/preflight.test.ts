import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPreflight, runPreflight, type PreflightLine, type PreflightReport } from '../../src/preflight/index.js';
import { config, fakeAgents, fakeConnect, healthy, replica, type FakeServer } from './fake.js';

const IPS = ['10.0.0.11', '10.0.0.12', '10.0.0.13'];
const cfg = config();

async function run(servers: Record<string, FakeServer>, agentsUp: readonly string[] = IPS, wrongSecret: readonly string[] = []): Promise<PreflightReport> {
  return runPreflight(cfg, { connect: fakeConnect(servers), sendAgent: fakeAgents(agentsUp, wrongSecret), timeoutMs: 100 });
}
function find(r: PreflightReport, host: string | null, check: string): PreflightLine {
  const l = r.lines.find((x) => x.host === host && x.check === check);
  assert.ok(l, `no ${check} line for ${host ?? 'cluster'}\n${formatPreflight(r)}`);
  return l;
}
const nonPass = (r: PreflightReport): string[] => r.lines.filter((l) => l.status !== 'PASS').map((l) => `${l.status} ${l.host ?? 'cluster'} ${l.check}`);
function s(servers: Record<string, FakeServer>, ip: string): FakeServer {
  const x = servers[ip];
  assert.ok(x);
  return x;
}

test('a healthy cluster passes every line except the fence check the agent cannot read', async () => {
  const r = await run(healthy());
  assert.deepEqual(nonPass(r), ['WARN db1 read_only fence', 'WARN db2 read_only fence', 'WARN db3 read_only fence']);
  assert.equal(r.failed, 0);
  assert.equal(r.warned, 3);
  assert.match(find(r, 'db1', 'read_only fence').hint ?? '', /GRANT SELECT ON mysql\.\* TO mmm_agent/);
  assert.match(formatPreflight(r), /^\[PASS\] db1 +agent +agent at 10\.0\.0\.11:9989 answered PING \(authenticated\)$/m);
  assert.match(formatPreflight(r), /^\d+ passed, 3 warnings, 0 failed$/m);
});

test('duplicate server_id: FAIL on both hosts that share it', async () => {
  const sv = healthy();
  s(sv, '10.0.0.13').serverId = 2;
  const r = await run(sv);
  assert.equal(find(r, 'db3', 'server_id').status, 'FAIL');
  assert.equal(find(r, 'db2', 'server_id').message, 'server_id 2 is also used by db3');
  assert.equal(find(r, 'db1', 'server_id').status, 'PASS');
  s(sv, '10.0.0.11').serverId = 0;
  assert.match(find(await run(sv), 'db1', 'server_id').message, /server_id is 0/);
});

test('GTID not used by replication is a FAIL; gtid_strict_mode off a WARN', async () => {
  const sv = healthy();
  s(sv, '10.0.0.13').replicas = [replica('10.0.0.11', { Using_Gtid: 'No' })];
  s(sv, '10.0.0.12').strict = false;
  const r = await run(sv);
  assert.equal(find(r, 'db3', 'gtid').status, 'FAIL');
  assert.match(find(r, 'db3', 'gtid').hint ?? '', /master_use_gtid=slave_pos/);
  assert.equal(find(r, 'db2', 'gtid').status, 'WARN');
});

test('an application account holding READ_ONLY ADMIN is a FAIL; the agent and administrators are not offenders', async () => {
  const sv = healthy();
  for (const ip of IPS) {
    const x = s(sv, ip);
    x.grants['mmm_agent']?.push("GRANT SELECT ON `mysql`.* TO `mmm_agent`@`%`");
    x.privileges = [
      { g: "'mmm_agent'@'%'", p: 'READ_ONLY ADMIN', y: 'NO' },
      { g: "'root'@'localhost'", p: 'READ_ONLY ADMIN', y: 'YES' },
    ];
  }
  let r = await run(sv);
  assert.equal(find(r, 'db1', 'read_only fence').status, 'PASS');
  assert.match(find(r, 'db1', 'read_only fence').message, /administrators .*root@localhost/);
  s(sv, '10.0.0.12').privileges?.push({ g: "'app'@'%'", p: 'READ_ONLY ADMIN', y: 'NO' });
  r = await run(sv);
  const l = find(r, 'db2', 'read_only fence');
  assert.equal(l.status, 'FAIL');
  assert.match(l.message, /^app@% hold READ_ONLY ADMIN/);
  assert.match(l.hint ?? '', /REVOKE READ_ONLY ADMIN ON \*\.\* FROM app@%/);
  assert.equal(find(r, 'db1', 'read_only fence').status, 'PASS');
});

test('agents: refused and unauthenticated are FAIL lines with different hints', async () => {
  const r = await run(healthy(), ['10.0.0.11'], ['10.0.0.12']);
  assert.equal(find(r, 'db1', 'agent').status, 'PASS');
  assert.match(find(r, 'db2', 'agent').message, /did not authenticate/);
  assert.match(find(r, 'db2', 'agent').hint ?? '', /same secret/);
  assert.match(find(r, 'db3', 'agent').message, /no agent listening at 10\.0\.0\.13:9989/);
  assert.equal(r.failed, 2);
});

test('an unreachable server is one FAIL line and its other checks are skipped, not crashed', async () => {
  const sv = healthy();
  s(sv, '10.0.0.12').down = true;
  const r = await run(sv);
  assert.equal(find(r, 'db2', 'mysql').status, 'FAIL');
  assert.equal(r.lines.filter((l) => l.host === 'db2').length, 2, formatPreflight(r));
  assert.equal(find(r, 'db1', 'source').status, 'PASS', 'db1 still replicates from db2 as configured');
});

test('read_only off on two hosts is a FAIL on both; errant GTIDs then cannot be judged', async () => {
  const sv = healthy();
  s(sv, '10.0.0.13').readOnly = false;
  const r = await run(sv);
  assert.equal(find(r, 'db1', 'read_only').status, 'FAIL');
  assert.equal(find(r, 'db3', 'read_only').status, 'FAIL');
  assert.equal(find(r, null, 'errant gtid').status, 'WARN');
});

test('a writable host outside the writer role is a FAIL; no writable host a WARN', async () => {
  const sv = healthy();
  s(sv, '10.0.0.11').readOnly = true;
  s(sv, '10.0.0.13').readOnly = false;
  assert.match(find(await run(sv), 'db3', 'read_only').message, /may not hold the writer role/);
  s(sv, '10.0.0.13').readOnly = true;
  assert.equal(find(await run(sv), null, 'read_only').status, 'WARN');
});

test('errant GTIDs: FAIL on the other master, WARN on a replica', async () => {
  const sv = healthy();
  s(sv, '10.0.0.12').own = '0-1-100,0-2-101';
  s(sv, '10.0.0.13').own = '0-1-100,1-3-5';
  const r = await run(sv);
  assert.equal(find(r, 'db2', 'errant gtid').status, 'FAIL');
  assert.match(find(r, 'db2', 'errant gtid').message, /0-2-101/);
  assert.equal(find(r, 'db3', 'errant gtid').status, 'WARN');
  assert.match(find(r, 'db3', 'errant gtid').message, /1-3-5/);
});

test('replication: masters must replicate from their peer; broken threads FAIL; lag beyond max_backlog WARNs', async () => {
  const sv = healthy();
  s(sv, '10.0.0.12').replicas = [replica('10.0.0.13')];
  s(sv, '10.0.0.13').replicas = [replica('10.0.0.11', { Slave_IO_Running: 'No', Last_IO_Error: 'error connecting to master' })];
  s(sv, '10.0.0.11').replicas = [replica('10.0.0.12', { Seconds_Behind_Master: 120 })];
  const r = await run(sv);
  assert.match(find(r, 'db2', 'source').message, /replicates from db3, not from its peer db1/);
  assert.equal(find(r, 'db3', 'replication').status, 'FAIL');
  assert.match(find(r, 'db3', 'replication').message, /error connecting to master/);
  assert.equal(find(r, 'db1', 'replication').status, 'WARN');
});

test('binlog off on a master FAILs; unsafe auto_increment WARNs; missing grants FAIL by name', async () => {
  const sv = healthy();
  s(sv, '10.0.0.12').logBin = false;
  s(sv, '10.0.0.12').off = 1;
  s(sv, '10.0.0.11').grants['mmm_agent'] = ['GRANT REPLICATION SLAVE ADMIN, SLAVE MONITOR, BINLOG MONITOR, PROCESS ON *.* TO `mmm_agent`@`%`'];
  s(sv, '10.0.0.13').grants['mmm_monitor'] = ['GRANT USAGE ON *.* TO `mmm_monitor`@`%`'];
  delete s(sv, '10.0.0.13').grants['repl'];
  const r = await run(sv);
  assert.equal(find(r, 'db2', 'binlog').status, 'FAIL');
  assert.equal(find(r, null, 'auto_increment').status, 'WARN');
  assert.equal(find(r, 'db1', 'agent grants').message, 'mmm_agent lacks READ_ONLY ADMIN, CONNECTION ADMIN');
  assert.equal(find(r, 'db3', 'monitor grants').status, 'FAIL');
  assert.equal(find(r, 'db3', 'replication grants').status, 'WARN', 'the replication account may accept only DB hosts');
});
