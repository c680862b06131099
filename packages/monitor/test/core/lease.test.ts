// The writer lease as the core's release gate (with the agents' failsafe: also the denial quorum), and
// the second opinion holding a failover when only the monitor cannot reach the writer (issue 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denyMsFor, fencingFrom } from '../../src/core/config.js';
import { decide } from '../../src/core/decide.js';
import type { HostObs, Observations } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady } from './fixture.js';

const cfg = makeConfig({}, { fencing: fencingFrom({ writerLeaseMs: 3000, marginMs: 1000, failsafe: 'off' }) });
const quorumCfg = makeConfig({}, { fencing: fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }) });
const denial = (quorumAt: number | null, denying: string[] = quorumAt === null ? ['db2'] : ['db2', 'db3'], host = 'db1'): Partial<Observations> =>
  ({ writerDenial: { host, denying, needed: 2, quorumAt } });
const cut = (leaseRenewedAt?: number): HostObs =>
  hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false, lastError: 'timeout', ...(leaseRenewedAt !== undefined ? { leaseRenewedAt } : {}) } });

test('fencingFrom: a lease waits lease + margin (and, with the failsafe, the denial quorum); no lease is MMM behaviour', () => {
  assert.deepEqual(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }), { mode: 'lease', waitMs: 4000, quorumMarginMs: 1000 });
  assert.deepEqual(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000, failsafe: 'off' }), { mode: 'lease', waitMs: 4000, quorumMarginMs: null });
  assert.deepEqual(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }, true), { mode: 'lease', waitMs: 4000, quorumMarginMs: null }, 'MMM v1 agents answer no CHECK_HOST');
  assert.equal(denyMsFor(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000 }), 3000), 4000);
  assert.equal(denyMsFor(fencingFrom({ writerLeaseMs: 3000, marginMs: 1000, failsafe: 'off' }), 3000), null);
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

test('with the failsafe: after the lease, promotion waits for the denial quorum plus the margin', () => {
  const renewed = T0 - 500;
  const r1 = decide(steady(quorumCfg), observe({ db1: cut(renewed) }, denial(null)), renewed + 4000, quorumCfg);
  assert.equal(holder(r1.state, 'writer'), '');
  assert.equal(r1.outcome.block, 'AWAITING_FENCING');
  assert.match(r1.outcome.sentence, /its writer lease ran out, but 2 other agents must say they cannot reach its MySQL .*denying: db2/);
  const r2 = decide(r1.state, observe({ db1: cut(renewed) }), renewed + 9000, quorumCfg);
  assert.equal(holder(r2.state, 'writer'), '', 'no denial observation: never promoted on the lease alone');
  const formed = renewed + 9100;
  const r3 = decide(r2.state, observe({ db1: cut(renewed) }, denial(formed)), formed + 999, quorumCfg);
  assert.equal(holder(r3.state, 'writer'), '', 'not before the margin after the quorum');
  assert.match(r3.outcome.sentence, /db2, db3 cannot reach db1: waiting 1ms for it to fence itself/);
  const r4 = decide(r3.state, observe({ db1: cut(renewed) }, denial(formed, ['db2', 'db3'], 'db2')), formed + 1000, quorumCfg);
  assert.equal(holder(r4.state, 'writer'), '', 'a quorum against another host does not count');
  const r5 = decide(r4.state, observe({ db1: cut(renewed) }, denial(formed)), formed + 1000, quorumCfg);
  assert.equal(holder(r5.state, 'writer'), 'db2');
});

test('with the failsafe: a quorum formed early still waits for the lease', () => {
  const renewed = T0 - 500;
  const r1 = decide(steady(quorumCfg), observe({ db1: cut(renewed) }, denial(T0 - 400)), renewed + 3999, quorumCfg);
  assert.equal(holder(r1.state, 'writer'), '');
  const r2 = decide(r1.state, observe({ db1: cut(renewed) }, denial(T0 - 400)), renewed + 4000, quorumCfg);
  assert.equal(holder(r2.state, 'writer'), 'db2');
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

test('shutdown_script exit 0 (moveHooks fencedOld) releases an unreachable old writer without the lease wait', () => {
  const hooked = makeConfig({}, { fencing: quorumCfg.fencing, moveHooks: { failover: true, switchover: false } });
  const r1 = decide(steady(hooked), observe({ db1: cut(T0 - 100) }), T0, hooked);
  const id = r1.state.failover?.id ?? '';
  assert.equal(r1.outcome.block, 'AWAITING_HOOKS');
  const hooks = (fencedOld: boolean): Partial<Observations> => ({ moveHooks: { id, status: 'proceed', reason: 'shutdown_script succeeded', ...(fencedOld ? { fencedOld } : {}) } });
  const r2 = decide(r1.state, observe({ db1: cut(T0 - 100) }, hooks(false)), T0 + 10, hooked);
  assert.equal(holder(r2.state, 'writer'), '', 'a stop hook alone fences nothing');
  assert.equal(r2.outcome.block, 'AWAITING_FENCING');
  const r3 = decide(r2.state, observe({ db1: cut(T0 - 100) }, hooks(true)), T0 + 20, hooked);
  assert.equal(holder(r3.state, 'writer'), 'db2');
});
