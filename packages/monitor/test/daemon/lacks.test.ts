// lacksFor: what a failover candidate would lose. Regression for the fault suite's "passive master
// dead, then writer dead" scenario, where a restarted passive master was promoted before its first
// replication probe had read its GTID position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lacksFor } from '../../src/daemon/observations.js';
import type { HostCheckView } from '../../src/daemon/checks-source.js';

function view(applied: string | null, io: string | null = applied, mysql: 'ok' | 'fail' = 'ok'): HostCheckView {
  return {
    checks: { ping: 'ok', mysql, repThreads: 'ok', repBacklog: 'ok' },
    details: {},
    lagS: 0,
    replica: applied === null && io === null ? null : { sourceHost: '10.0.0.11', ioRunning: true, sqlRunning: true, lagS: 0, gtidIoPos: io, gtidApplied: applied },
  } as unknown as HostCheckView;
}

test('a candidate missing what a replica has lacks exactly those GTIDs', () => {
  const views = { db1: view('0-1-100', null, 'fail'), db2: view('0-1-80'), db3: view('0-1-100') };
  assert.deepEqual(lacksFor('db2', views, 'db1'), ['db3:0-1-81..100']);
});

test('what the candidate received but has not applied yet is not lacking (sync_with_master applies it)', () => {
  const views = { db1: view('0-1-100', null, 'fail'), db2: view('0-1-90', '0-1-100'), db3: view('0-1-100') };
  assert.deepEqual(lacksFor('db2', views, 'db1'), []);
});

test('the current writer is left out: a switchover target may trail it', () => {
  const views = { db1: view('0-1-120'), db2: view('0-1-118'), db3: view('0-1-118') };
  assert.deepEqual(lacksFor('db2', views, 'db1'), []);
});

test('a position not read yet blocks while another host\'s is known', () => {
  const views = { db1: view('0-1-100', null, 'fail'), db2: view(null, null), db3: view('0-1-100') };
  assert.deepEqual(lacksFor('db2', views, 'db1'), ["db2's GTID position not read yet"]);
});

test('nothing known anywhere: unknown (null), not a refusal', () => {
  const views = { db1: view(null, null, 'fail'), db2: view(null, null), db3: view(null, null) };
  assert.equal(lacksFor('db2', views, 'db1'), null);
});
