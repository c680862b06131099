import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem } from '../../src/config/index.js';
import { edit, parseBad, where } from './fixtures.js';

void test('unknown keys are reported at the key, at every level', () => {
  const problems = parseBad(edit({
    3: '  agent_pasword: a',
    9: '  db3: { ip: 10.0.0.13, mode: slave, port: 1 }',
    11: '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.50], preferred: db1 }',
  }, ['colour: red', 'monitor:', '  prot: 1', 'checks: { ping: { intervall: 1s } }']));
  const unknown = problems.filter((p) => p.code === 'CONFIG_UNKNOWN_KEY');
  assert.deepEqual(where(unknown), [
    '3:3 CONFIG_UNKNOWN_KEY', '9:38 CONFIG_UNKNOWN_KEY', '11:67 CONFIG_UNKNOWN_KEY',
    '15:1 CONFIG_UNKNOWN_KEY', '17:3 CONFIG_UNKNOWN_KEY', '18:19 CONFIG_UNKNOWN_KEY',
  ]);
  const first = unknown[0];
  assert.ok(first !== undefined);
  assert.equal(formatProblem(first), 'c.yaml:3:3: unknown key in host_defaults; did you mean "agent_password"? (got "agent_pasword")');
  // the misspelt password key leaves every host without an agent password: reported too
  assert.deepEqual(where(problems.filter((p) => p.code === 'CONFIG_MISSING_KEY')), ['7:3 CONFIG_MISSING_KEY', '8:3 CONFIG_MISSING_KEY', '9:3 CONFIG_MISSING_KEY']);
});

void test('wrong types are reported at the value, quoting it with its type', () => {
  const problems = parseBad(edit({ 1: 'cluster: [a]' }, ['monitor: { port: "9988", careful_startup: yes }']));
  assert.deepEqual(problems.map(formatProblem), [
    'c.yaml:1:10: `cluster` must be a string (got a list)',
    'c.yaml:15:18: `monitor.port` must be a whole number (got "9988")',
    'c.yaml:15:43: `monitor.careful_startup` must be true or false (got "yes")',
  ]);
  const hosts = parseBad(edit({ 6: 'hosts: [db1]', 7: null, 8: null, 9: null }));
  assert.ok(hosts.some((p) => p.code === 'CONFIG_WRONG_TYPE' && p.line === 6 && p.col === 8 && p.got === 'a list'));
});

void test('a password of the wrong type is never quoted back', () => {
  const [p, ...rest] = parseBad(edit({ 3: '  agent_password: 12345' }));
  assert.equal(rest.length, 0);
  assert.deepEqual(where(p ? [p] : []), ['3:19 CONFIG_WRONG_TYPE']);
  assert.equal(p?.got, 'a number');
  assert.ok(!formatProblem(p ?? assert.fail()).includes('12345'));
});

void test('missing required keys are reported where their section starts', () => {
  assert.deepEqual(where(parseBad(edit({ 1: null }))), ['1:1 CONFIG_MISSING_KEY']);
  assert.deepEqual(where(parseBad(edit({ 9: '  db3: {}' }))), ['9:3 CONFIG_MISSING_KEY', '9:3 CONFIG_MISSING_KEY']);
  assert.deepEqual(where(parseBad(edit({ 5: null }))), ['6:3 CONFIG_MISSING_KEY', '7:3 CONFIG_MISSING_KEY', '8:3 CONFIG_MISSING_KEY']);
  const role = parseBad(edit({ 12: '  reader: {}' }));
  assert.deepEqual(role.map((p) => `${p.line}:${p.col} ${p.message}`), [
    '12:3 missing required key `roles.reader.mode` (exclusive or balanced)',
    '12:3 missing required key `roles.reader.hosts`',
    '12:3 missing required key `roles.reader.ips`',
  ]);
  const noHosts = parseBad(edit({ 6: null, 7: null, 8: null, 9: null, 10: null, 11: null, 12: null }));
  assert.ok(noHosts.some((p) => p.code === 'CONFIG_MISSING_KEY' && p.message.includes('`hosts`') && p.line === 1 && p.col === 1));
  assert.deepEqual(where(parseBad('')), ['1:1 CONFIG_WRONG_TYPE']);
});

void test('durations: bad unit and negative values', () => {
  const problems = parseBad(edit({}, ['monitor: { flap_duration: 5x, auto_set_online: -1s, wait_for_other_master: -5 }']));
  assert.deepEqual(where(problems), ['15:27 CONFIG_BAD_DURATION', '15:48 CONFIG_BAD_DURATION', '15:76 CONFIG_BAD_DURATION']);
  assert.equal(problems[0]?.got, '"5x"');
  assert.equal(problems[2]?.got, '-5 (a number)');
  assert.deepEqual(where(parseBad(edit({}, ['checks: { mysql: { interval: 0s } }']))), ['15:30 CONFIG_BAD_DURATION']);
});

void test('bad IPv4 addresses in hosts, roles and ping_ips', () => {
  const problems = parseBad(edit({
    7: '  db1: { ip: 10.0.0.300, mode: master, peer: db2 }',
    8: '  db2: { ip: abc, mode: master, peer: db1 }',
    11: '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0] }',
  }, ['monitor: { ping_ips: [1.2.3.4, 256.1.1.1], ip: localhost }']));
  assert.deepEqual(where(problems), [
    '7:14 CONFIG_BAD_IP', '8:14 CONFIG_BAD_IP', '11:55 CONFIG_BAD_IP', '15:32 CONFIG_BAD_IP', '15:48 CONFIG_BAD_IP',
  ]);
  assert.equal(formatProblem(problems[0] ?? assert.fail()), 'c.yaml:7:14: `hosts.db1.ip` must be an IPv4 address like 10.0.0.11 (got "10.0.0.300")');
  assert.equal(problems[3]?.got, '"256.1.1.1"');
  assert.equal(problems[4]?.got, '"localhost"');
});

void test('an IP used twice anywhere is reported at its second use', () => {
  const problems = parseBad(edit({
    8: '  db2: { ip: 10.0.0.11, mode: master, peer: db1 }',
    11: '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.13] }',
    12: '  reader: { mode: balanced, hosts: [db1, db2, db3], ips: [10.0.0.51, 10.0.0.51] }',
  }));
  assert.deepEqual(problems.map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`), [
    '8:14 CONFIG_DUPLICATE_IP host db2 uses an IP already used by host db1 at line 7',
    '11:55 CONFIG_DUPLICATE_IP role writer uses an IP already used by host db3 at line 9',
    '12:70 CONFIG_DUPLICATE_IP role reader uses an IP already used by role reader at line 12',
  ]);
});

void test('ports must be 1-65535, monitor.http must be ip:port', () => {
  const problems = parseBad(edit({
    3: '  agent_password: a\n  agent_port: 0\n  mysql_port: 70000',
    9: '  db3: { ip: 10.0.0.13, mode: slave, agent_port: -1 }',
  }, ['monitor: { port: 65536, http: "localhost:9990" }']));
  assert.deepEqual(where(problems), ['4:15 CONFIG_BAD_PORT', '5:15 CONFIG_BAD_PORT', '11:50 CONFIG_BAD_PORT', '17:18 CONFIG_BAD_PORT', '17:31 CONFIG_BAD_ADDRESS']);
  assert.equal(formatProblem(problems[3] ?? assert.fail()), 'c.yaml:17:18: `monitor.port` must be a port from 1 to 65535 (got 65536 (a number))');
});

void test('closed vocabularies: host mode, role mode, monitor mode, deny_write, secondary_check', () => {
  const problems = parseBad(edit({
    9: '  db3: { ip: 10.0.0.13, mode: replica }',
    12: '  reader: { mode: shared, hosts: [db1, db2, db3], ips: [10.0.0.51] }',
  }, ['monitor: { mode: auto }', 'agent: { deny_write: maybe }', 'hooks: { secondary_check: no, report_script: report.sh }']));
  assert.deepEqual(problems.map((p) => `${p.line}:${p.col} ${p.code} ${p.got ?? ''}`), [
    '9:31 CONFIG_BAD_VALUE "replica"', '12:19 CONFIG_BAD_VALUE "shared"', '15:18 CONFIG_BAD_VALUE "auto"',
    '16:22 CONFIG_BAD_VALUE "maybe"', '17:27 CONFIG_BAD_VALUE "no"', '17:46 CONFIG_BAD_VALUE "report.sh"',
  ]);
  assert.match(problems[0]?.message ?? '', /must be one of master \| slave/);
});

void test('peer references: unknown, itself, from a slave, a slave, not pointing back', () => {
  const problems = parseBad(edit({
    7: '  db1: { ip: 10.0.0.11, mode: master, peer: db9 }',
    8: '  db2: { ip: 10.0.0.12, mode: master, peer: db2 }',
    9: '  db3: { ip: 10.0.0.13, mode: slave, peer: db1 }\n  db4: { ip: 10.0.0.14, mode: master, peer: db3 }\n  db5: { ip: 10.0.0.15, mode: master, peer: db1 }',
  }));
  assert.deepEqual(where(problems), [
    '7:45 CONFIG_UNKNOWN_HOST', '8:45 CONFIG_BAD_REFERENCE', '9:44 CONFIG_BAD_REFERENCE', '10:45 CONFIG_BAD_REFERENCE', '11:45 CONFIG_BAD_REFERENCE',
  ]);
  assert.match(problems[1]?.message ?? '', /cannot be its own peer/);
  assert.match(problems[2]?.message ?? '', /only masters have a peer/);
  assert.match(problems[3]?.message ?? '', /db3 is a slave/);
  assert.match(problems[4]?.message ?? '', /db1's peer is db9/);
});

void test("a master's peer must point back", () => {
  const text = edit({ 9: '  db3: { ip: 10.0.0.13, mode: master, peer: db1 }' });
  assert.deepEqual(parseBad(text).map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`), [
    "9:45 CONFIG_BAD_REFERENCE the peer of db3 is db1, but db1's peer is db2: master peers must point at each other",
  ]);
});

void test('role references: unknown host, prefer outside the role, exclusive role with two IPs, active master role', () => {
  const problems = parseBad(edit({
    11: '  writer: { mode: exclusive, hosts: [db1, db3], ips: [10.0.0.50, 10.0.0.49], prefer: db4 }',
    12: '  reader: { mode: balanced, hosts: [db1, db7], ips: [10.0.0.51] }',
  }));
  assert.deepEqual(problems.map((p) => `${p.line}:${p.col} ${p.code}`), [
    '11:43 CONFIG_BAD_REFERENCE', '11:54 CONFIG_BAD_ROLE', '11:86 CONFIG_BAD_REFERENCE', '12:42 CONFIG_UNKNOWN_HOST',
  ]);
  assert.match(problems[0]?.message ?? '', /its hosts must be masters, but db3 is a slave/);
  assert.equal(problems[1]?.got, '2 IPs');
  assert.equal(problems[3]?.got, '"db7"');

  const unknownRole = parseBad(edit({}, ['active_master_role: primary']));
  assert.deepEqual(where(unknownRole), ['15:21 CONFIG_UNKNOWN_ROLE']);
  const balanced = parseBad(edit({}, ['active_master_role: reader']));
  // reader is balanced, and its host db3 is a slave
  assert.deepEqual(where(balanced), ['12:47 CONFIG_BAD_REFERENCE', '15:21 CONFIG_BAD_REFERENCE']);
  const noWriter = parseBad(edit({ 11: null }));
  assert.deepEqual(where(noWriter), ['10:1 CONFIG_UNKNOWN_ROLE']);
});

void test('security: a secret is required unless mmm_v1_compat, and not given twice', () => {
  assert.deepEqual(parseBad(edit({ 13: null, 14: null })).map((p) => `${p.line}:${p.col} ${p.code}`), ['1:1 CONFIG_MISSING_SECRET']);
  assert.deepEqual(where(parseBad(edit({}, ['  secret_file: s.txt']))), ['15:3 CONFIG_SECRET_CONFLICT']);
  assert.deepEqual(where(parseBad(edit({ 14: '  mmm_v1_compat: false' }))), ['13:1 CONFIG_MISSING_SECRET']);
});

void test('YAML syntax errors and duplicate keys carry their position', () => {
  const syntax = parseBad('cluster: t\nhosts: { db1: [\n');
  assert.ok(syntax.length >= 1 && syntax.every((p) => p.code === 'CONFIG_YAML_SYNTAX' && p.line >= 2));
  const dup = parseBad(edit({}, ['cluster: u']));
  assert.deepEqual(dup.map((p) => `${p.line}:${p.col} ${p.code} ${p.got ?? ''}`), ['15:1 CONFIG_DUPLICATE_KEY "cluster"']);
});

void test('names must be plain: cluster, hosts, roles', () => {
  const problems = parseBad(edit({ 1: 'cluster: "my cluster"', 12: '  "read|er": { mode: balanced, hosts: [db1, db2, db3], ips: [10.0.0.51] }' }));
  assert.deepEqual(where(problems), ['1:10 CONFIG_BAD_NAME', '12:3 CONFIG_BAD_NAME']);
});

void test('many problems in one file are all reported, in file order', () => {
  const problems = parseBad(edit({
    1: 'cluster: t',
    3: '  agent_password: 12345',
    7: '  db1: { ip: 10.0.0.300, mode: master, peer: db2 }',
    9: '  db3: { ip: 10.0.0.12, mode: slave, colour: red }',
    12: '  reader: { mode: balanced, hosts: [db1, db2, db3, db8], ips: [10.0.0.51] }',
  }, ['monitor: { flap_duration: 5x, mode: auto }']));
  assert.deepEqual(where(problems), [
    '3:19 CONFIG_WRONG_TYPE', '7:14 CONFIG_BAD_IP', '9:14 CONFIG_DUPLICATE_IP', '9:38 CONFIG_UNKNOWN_KEY',
    '12:52 CONFIG_UNKNOWN_HOST', '15:27 CONFIG_BAD_DURATION', '15:37 CONFIG_BAD_VALUE',
  ]);
  for (const p of problems) assert.match(formatProblem(p), /^c\.yaml:\d+:\d+: /);
});

void test('counts out of range and malformed role host lists', () => {
  const problems = parseBad(edit({
    11: '  writer: { mode: exclusive, hosts: [], ips: [10.0.0.50] }',
    12: '  reader: { mode: balanced, hosts: [db1, db1], ips: [10.0.0.51] }',
  }, ['monitor: { flap_count: 0 }', 'agent: { max_kill_retries: -1 }']));
  assert.deepEqual(where(problems), ['11:37 CONFIG_BAD_ROLE', '12:42 CONFIG_BAD_ROLE', '15:24 CONFIG_OUT_OF_RANGE', '16:28 CONFIG_OUT_OF_RANGE']);
  assert.match(problems[1]?.message ?? '', /lists host db1 twice/);
  assert.deepEqual(where(parseBad(edit({}, ['monitor: { flap_count: 1.5 }']))), ['15:24 CONFIG_WRONG_TYPE']);
});
