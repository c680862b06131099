import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEligibleHost, placeRoles, roleWeight, rolesOf } from '../../src/core/roles.js';
import { coreConfigFrom } from '../../src/core/config.js';
import type { RoleAssignment } from '../../src/core/types.js';
import { makeConfig } from './fixture.js';

const cfg = makeConfig();
const all = (): boolean => true;
const A = (role: string, ip: string, host: string): RoleAssignment => ({ role, ip, host });

test('the writer role counts 0.5 in the role count', () => {
  const a = [A('writer', '10.0.0.50', 'db1'), A('reader', '10.0.0.51', 'db1'), A('reader', '10.0.0.52', 'db2')];
  assert.equal(roleWeight(a, 'db1', cfg), 1.5);
  assert.equal(roleWeight(a, 'db2', cfg), 1);
  assert.equal(roleWeight(a, 'db3', cfg), 0);
});

test('rolesOf sorts by name(ip) as MMM sends them', () => {
  const a = [A('writer', '10.0.0.50', 'db1'), A('reader', '10.0.0.53', 'db1'), A('reader', '10.0.0.51', 'db1')];
  assert.deepEqual(rolesOf(a, 'db1').map((r) => `${r.name}(${r.ip})`), ['reader(10.0.0.51)', 'reader(10.0.0.53)', 'writer(10.0.0.50)']);
});

test('orphans: prefer host if eligible, else fewest roles, ties to the first in the role\'s host list', () => {
  const p = makeConfig({ prefer: 'db2' });
  const none: RoleAssignment[] = [];
  assert.equal(findEligibleHost('writer', none, all, p), 'db2');
  assert.equal(findEligibleHost('writer', none, (h) => h !== 'db2', p), 'db1');
  assert.equal(findEligibleHost('reader', [A('reader', '10.0.0.51', 'db1')], all, cfg), 'db2');
  assert.equal(findEligibleHost('reader', none, () => false, cfg), null);
});

test('placement never assigns the writer (only the failover path does)', () => {
  const r = placeRoles([A('writer', '10.0.0.50', '')], all, cfg, { obeyPreferences: true });
  assert.equal(r.assignments[0]?.host, '');
});

test('orphaned readers are spread over eligible hosts', () => {
  const r = placeRoles([A('writer', '10.0.0.50', 'db1'), A('reader', '10.0.0.51', ''), A('reader', '10.0.0.52', ''), A('reader', '10.0.0.53', '')], all, cfg, { obeyPreferences: false });
  assert.deepEqual(r.assignments.map((a) => a.host), ['db1', 'db2', 'db3', 'db1']);
  assert.equal(r.events.length, 3);
});

test('balancing moves readers while max - min > 1', () => {
  const start = [A('writer', '10.0.0.50', 'db1'), A('reader', '10.0.0.51', 'db3'), A('reader', '10.0.0.52', 'db3'), A('reader', '10.0.0.53', 'db3')];
  const r = placeRoles(start, all, cfg, { obeyPreferences: false });
  const w = (h: string): number => roleWeight(r.assignments, h, cfg);
  const ws = ['db1', 'db2', 'db3'].map(w);
  assert.ok(Math.max(...ws) - Math.min(...ws) <= 1, `weights ${ws.join(',')}`);
});

test('balancing leaves a spread of exactly 1 alone', () => {
  const start = [A('writer', '10.0.0.50', ''), A('reader', '10.0.0.51', 'db2'), A('reader', '10.0.0.52', 'db2'), A('reader', '10.0.0.53', 'db3')];
  const r = placeRoles(start, (h) => h !== 'db1', cfg, { obeyPreferences: false });
  assert.equal(r.events.length, 0);
  // and the writer's 0.5 weight makes 0.5 vs 2 a spread of 1.5, which MMM does rebalance
  const w = placeRoles([A('writer', '10.0.0.50', 'db1'), A('reader', '10.0.0.51', 'db2'), A('reader', '10.0.0.52', 'db2'), A('reader', '10.0.0.53', 'db3')], all, cfg, { obeyPreferences: false });
  assert.equal(w.events.length, 1);
});

test('non-writer exclusive roles move back to prefer when obeyPreferences (ACTIVE mode)', () => {
  const c = coreConfigFrom({
    hosts: { db1: { name: 'db1', ip: '1.1.1.1', mode: 'master', peer: 'db2' }, db2: { name: 'db2', ip: '1.1.1.2', mode: 'master', peer: 'db1' } },
    roles: {
      writer: { name: 'writer', mode: 'exclusive', hosts: ['db1', 'db2'], ips: ['1.1.1.50'], prefer: 'db1' },
      backup: { name: 'backup', mode: 'exclusive', hosts: ['db1', 'db2'], ips: ['1.1.1.60'], prefer: 'db2' },
    },
    activeMasterRole: 'writer',
    monitor: { mode: 'active', autoSetOnlineMs: 0, flapDurationMs: 1, flapCount: 3, waitForOtherMasterMs: 0, carefulStartup: true },
  });
  const start = [A('writer', '1.1.1.50', 'db2'), A('backup', '1.1.1.60', 'db1')];
  const on = placeRoles(start, all, c, { obeyPreferences: true });
  assert.deepEqual(on.assignments.map((a) => a.host), ['db2', 'db2'], 'backup goes back to db2; the writer does not fail back to db1');
  const off = placeRoles(start, all, c, { obeyPreferences: false });
  assert.deepEqual(off.assignments.map((a) => a.host), ['db2', 'db1']);
});
