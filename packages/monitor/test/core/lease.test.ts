// The writer lease as the core's release gate, and the second opinion holding a failover when only
// the monitor cannot reach the writer (issue 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fencingFrom } from '../../src/core/config.js';
import { decide } from '../../src/core/decide.js';
import type { HostObs } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady } from './fixture.js';

const cfg = makeConfig({}, { fencing: fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }) });
const cut = (leaseRenewedAt?: number): HostObs =>
  hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false, lastError: 'timeout', ...(leaseRenewedAt !== undefined ? { leaseRenewedAt } : {}) } });

test('fencingFrom: a lease waits lease + margin; no lease is MMM behaviour', () => {
  assert.deepEqual(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }), { mode: 'lease', waitMs: 4000 });
  assert.deepEqual(fencingFrom({ writerLeaseMs: 0, marginMs: 1000 }), { mode: 'none', waitMs: 0 });
  assert.deepEqual(fencingFrom(undefined), { mode: 'none', waitMs: 0 });
});

test('the fixture without fencing keeps MMM behaviour; with a lease the gate is lease', () => {
  const base = makeConfig();
  assert.equal(base.fencing.mode, 'none');
  assert.equal(cfg.fencing.mode, 'lease');
});

test('an unreachable writer is promoted over only once its lease must have run out', () => {
  const renewed = T0 - 500;
  const r1 = decide(steady(cfg), observe({ db1: cut(renewed) }), T0, cfg);
  assert.equal(holder(r1.state, 'writer'), '');
  assert.equal(r1.outcome.block, 'AWAITING_FENCING');
  const r2 = decide(r1.state, observe({ db1: cut(renewed) }), renewed + 3999, cfg);
  assert.equal(holder(r2.state, 'writer'), '', 'not before lease + margin');
  const r3 = decide(r2.state, observe({ db1: cut(renewed) }), renewed + 4000, cfg);
  assert.equal(holder(r3.state, 'writer'), 'db2');
  assert.equal(r3.outcome.code, 'WRITER_PROMOTED');
});

test('no known renewal: the wait counts from the start of the failover', () => {
  const r1 = decide(steady(cfg), observe({ db1: cut() }), T0, cfg);
  const r2 = decide(r1.state, observe({ db1: cut() }), T0 + 3999, cfg);
  assert.equal(holder(r2.state, 'writer'), '');
  const r3 = decide(r2.state, observe({ db1: cut() }), T0 + 4000, cfg);
  assert.equal(holder(r3.state, 'writer'), 'db2');
});

test('an old writer observed fenced releases at once', () => {
  const fenced: HostObs = { ...cut(T0 - 100), fenced: true };
  const r = decide(steady(cfg), observe({ db1: fenced }), T0, cfg);
  assert.equal(holder(r.state, 'writer'), 'db2');
});

test('writer failing only from the monitor (agent up, another agent reaches its MySQL): no failover', () => {
  const failing = hostObs({ mysql: 'fail' });
  const r = decide(steady(cfg), observe({ db1: failing, db3: hostObs({}, { seesWriter: 'ok' }) }), T0, cfg);
  assert.equal(holder(r.state, 'writer'), 'db1');
  assert.equal(r.state.hosts['db1']?.state, 'ONLINE');
  assert.equal(r.outcome.block, 'WRITER_STILL_SEEN_BY_REPLICAS');
});

test('the second opinion saying "fail" does not hold the failover', () => {
  const failing = hostObs({ mysql: 'fail' });
  const r = decide(steady(cfg), observe({ db1: failing, db3: hostObs({}, { seesWriter: 'fail' }), db2: hostObs({}, { seesWriter: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts['db1']?.state, 'HARD_OFFLINE');
});
