// The pure parts of the rig: addressing and naming per docs/architecture.md, option checks, GTID
// position arithmetic, and a generated config the project's own loader accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@mmm-ts/protocol/config';
import { renderClusterYaml } from './cluster-yaml.js';
import { RigError } from './errors.js';
import { gtidCovers, parseGtidPos } from './replication.js';
import { ownsName, planRig } from './topology.js';
import { RIG_USERS } from './users.js';

void test('plan: addresses, names and replication sources follow the architecture doc', () => {
  const p = planRig({ prefix: 'rt1', subnet: 10, hosts: 4, baseDir: '/x' });
  assert.equal(p.bridge, 'rt1br');
  assert.equal(p.bridgeIp, '10.200.10.1');
  assert.equal(p.clientNs, 'rt1-cl');
  assert.equal(p.clientIp, '10.200.10.200');
  assert.equal(p.writerVip, '10.200.10.100');
  assert.deepEqual(p.readerVips, ['10.200.10.101', '10.200.10.102', '10.200.10.103', '10.200.10.104']);
  assert.deepEqual(
    p.hosts.map((h) => [h.name, h.ip, h.ns, h.mode, h.peer, h.source, h.serverId]),
    [
      ['db1', '10.200.10.11', 'rt1-db1', 'master', 'db2', 'db2', 1001],
      ['db2', '10.200.10.12', 'rt1-db2', 'master', 'db1', 'db1', 1002],
      ['db3', '10.200.10.13', 'rt1-db3', 'slave', null, 'db1', 1003],
      ['db4', '10.200.10.14', 'rt1-db4', 'slave', null, 'db1', 1004],
    ],
  );
  assert.equal(p.hosts[0]?.socket, '/x/db1/mysqld.sock');
  assert.equal(p.stateFile, '/x/rig.json');
  const longest = planRig({ prefix: 'abcde', subnet: 255, hosts: 20, baseDir: '/x' });
  for (const name of [longest.bridge, longest.clientVeth, ...longest.hosts.map((h) => h.veth)]) assert.ok(name.length <= 15, name);
  assert.equal(planRig({ prefix: 'a', subnet: 1 }).hosts.length, 3);
});

void test('plan: bad options are refused with RIG_BAD_OPTIONS naming the value', () => {
  for (const [opts, word] of [
    [{ prefix: 'toolong', subnet: 1 }, 'prefix'],
    [{ prefix: 'A-b', subnet: 1 }, 'prefix'],
    [{ prefix: 'ok', subnet: 256 }, 'subnet'],
    [{ prefix: 'ok', subnet: 1.5 }, 'subnet'],
    [{ prefix: 'ok', subnet: 1, hosts: 1 }, 'hosts'],
    [{ prefix: 'ok', subnet: 1, hosts: 21 }, 'hosts'],
  ] as const) {
    assert.throws(() => planRig(opts), (e: unknown) => e instanceof RigError && e.code === 'RIG_BAD_OPTIONS' && e.message.includes(word));
  }
});

void test('a prefix owns only its own names', () => {
  assert.equal(ownsName('rt1', 'rt1br'), true);
  assert.equal(ownsName('rt1', 'rt1-db3'), true);
  assert.equal(ownsName('rt1', 'rt10-db1'), false);
  assert.equal(ownsName('rt1', 'rt10br'), false);
  assert.equal(ownsName('rt1', 'eth0'), false);
});

void test('GTID positions: highest seq_no per domain, coverage per domain', () => {
  const want = parseGtidPos('0-1-7,1-2-3');
  assert.deepEqual([...want], [[0, 7n], [1, 3n]]);
  assert.equal(gtidCovers(parseGtidPos('0-2-7,1-2-4'), want), true);
  assert.equal(gtidCovers(parseGtidPos('0-2-6,1-2-4'), want), false);
  assert.equal(gtidCovers(parseGtidPos('0-2-9'), want), false);
  assert.equal(gtidCovers(parseGtidPos(''), new Map()), true);
});

void test("the generated config is accepted by the project's config loader and describes the rig", () => {
  const plan = planRig({ prefix: 'rt7', subnet: 16, hosts: 3, baseDir: '/x/rig' });
  const withSecret = parseConfig(renderClusterYaml(plan, RIG_USERS), 'rig.yaml');
  assert.ok(withSecret.ok, JSON.stringify(withSecret.ok ? null : withSecret.error));
  const c = withSecret.value;
  assert.deepEqual(Object.keys(c.hosts), ['db1', 'db2', 'db3']);
  assert.equal(c.security.secret, 'rig-secret-rt7');
  assert.equal(c.security.mmmV1Compat, false);
  const compat = parseConfig(renderClusterYaml(plan, RIG_USERS, { secret: null, extra: 'agent:\n  deny_write: soft\n' }), 'rig.yaml');
  assert.ok(compat.ok, JSON.stringify(compat.ok ? null : compat.error));
  assert.equal(compat.value.security.mmmV1Compat, true);
  assert.equal(compat.value.security.secret, null);
});
