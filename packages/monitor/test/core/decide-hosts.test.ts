import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { T0, holder, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig();

test('steady state: NO_ACTION with a Patroni-style sentence, a heartbeat to every host', () => {
  const r = decide(steady(cfg), observe(), T0, cfg);
  assert.equal(r.outcome.code, 'NO_ACTION');
  assert.equal(r.outcome.sentence, 'no action. db1 is the writer, 3 hosts ONLINE');
  assert.deepEqual(r.commands.map((c) => [c.host, c.state, c.roles.map((x) => `${x.name}(${x.ip})`).join(','), c.master, c.phase]), [
    ['db1', 'ONLINE', 'reader(10.0.0.51),writer(10.0.0.50)', 'db1', 3],
    ['db2', 'ONLINE', 'reader(10.0.0.52)', 'db1', 3],
    ['db3', 'ONLINE', 'reader(10.0.0.53)', 'db1', 3],
  ]);
  assert.deepEqual(r.events, []);
});

test('decide does not mutate its inputs and returns frozen state', () => {
  const s = steady(cfg);
  const snapshot = JSON.stringify(s);
  const r = decide(s, observe({ db3: hostObs({ mysql: 'fail' }) }), T0, cfg);
  assert.equal(JSON.stringify(s), snapshot);
  assert.ok(Object.isFrozen(r.state) && Object.isFrozen(r.state.hosts) && Object.isFrozen(r.state.roles));
});

test('a slave losing mysql goes HARD_OFFLINE, its reader moves to the host with fewest roles', () => {
  const r = decide(steady(cfg), observe({ db3: hostObs({ mysql: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db3?.state, 'HARD_OFFLINE');
  assert.equal(r.outcome.code, 'HOST_STATE_CHANGED');
  assert.match(r.outcome.sentence, /^db3 ONLINE -> HARD_OFFLINE \(ping: OK, mysql: not OK\)/);
  // db1 weighs 1.5 (writer counts 0.5), db2 weighs 1: the orphaned reader goes to db2
  assert.equal(holder(r.state, 'reader', '10.0.0.53'), 'db2');
  const db3 = r.commands.find((c) => c.host === 'db3');
  assert.deepEqual(db3?.roles, []);
  assert.equal(db3?.phase, 1, 'the host giving a role up is told first');
  assert.equal(r.commands.find((c) => c.host === 'db2')?.phase, 2, 'the host gaining it next, before the unchanged hosts');
});

test('replication failure on a slave with its peer (the active master) OK -> REPLICATION_FAIL, roles removed', () => {
  const r = decide(steady(cfg), observe({ db3: hostObs({ repThreads: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db3?.state, 'REPLICATION_FAIL');
  assert.equal(holder(r.state, 'reader', '10.0.0.53'), 'db2');
});

test('replication delay on db2 -> REPLICATION_DELAY', () => {
  const r = decide(steady(cfg), observe({ db2: hostObs({ repBacklog: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db2?.state, 'REPLICATION_DELAY');
});

test('replication failure on the active master is ignored', () => {
  const r = decide(steady(cfg), observe({ db1: hostObs({ repThreads: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db1?.state, 'ONLINE');
  assert.equal(r.outcome.code, 'NO_ACTION');
});

test('replication failure is ignored for 60 s after the peer came ONLINE', () => {
  const s = withState(steady(cfg), 'db1', 'ONLINE', { onlineSince: T0 - 30_000 });
  const r = decide(s, observe({ db2: hostObs({ repThreads: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db2?.state, 'ONLINE');
  const later = decide(s, observe({ db2: hostObs({ repThreads: 'fail' }) }), T0 + 31_000, cfg);
  assert.equal(later.state.hosts.db2?.state, 'REPLICATION_FAIL');
});

test('replication failure with the peer not OK changes nothing', () => {
  const s = withState(steady(cfg), 'db1', 'HARD_OFFLINE');
  const r = decide({ ...s, activeMaster: 'db2', roles: s.roles.map((a) => (a.role === 'writer' ? { ...a, host: 'db2' } : a)) }, observe({ db1: hostObs({ mysql: 'fail' }), db2: hostObs({ repThreads: 'fail' }) }), T0, cfg);
  assert.equal(r.state.hosts.db2?.state, 'ONLINE');
});

test("'unknown' check results change nothing", () => {
  const r = decide(steady(cfg), observe({ db2: hostObs({ ping: 'unknown', mysql: 'unknown', repThreads: 'unknown' }) }), T0, cfg);
  assert.equal(r.state.hosts.db2?.state, 'ONLINE');
  assert.equal(r.outcome.code, 'NO_ACTION');
});

test('monitor network down: every change frozen, nothing sent, FROZEN_NETWORK', () => {
  const r = decide(steady(cfg), observe({ db1: hostObs({ mysql: 'fail' }), db3: hostObs({ ping: 'fail' }) }, { monitorNetworkOk: false }), T0, cfg);
  assert.equal(r.outcome.code, 'FROZEN_NETWORK');
  assert.equal(r.outcome.detection, 'MONITOR_ISOLATED');
  assert.deepEqual(r.commands, []);
  assert.equal(r.state.hosts.db1?.state, 'ONLINE');
  assert.equal(holder(r.state, 'writer'), 'db1');
});

test('REPLICATION_FAIL host recovers to ONLINE and takes a reader back by balancing', () => {
  const s0 = steady(cfg);
  const s = { ...withState(s0, 'db3', 'REPLICATION_FAIL'), roles: s0.roles.map((a) => (a.host === 'db3' ? { ...a, host: 'db2' } : a)) };
  const r = decide(s, observe(), T0, cfg);
  assert.equal(r.state.hosts.db3?.state, 'ONLINE');
  assert.equal(r.outcome.code, 'HOST_STATE_CHANGED');
  // balanced in the same tick: db2 held 2 readers, db3 none (max - min > 1)
  assert.equal(holder(r.state, 'reader', '10.0.0.52'), 'db3');
  assert.ok(r.events.some((e) => e.event === 'role.moved' && e.to === 'db3'));
  const r2 = decide(r.state, observe(), T0 + 100, cfg);
  assert.equal(r2.outcome.code, 'NO_ACTION');
});

test('a host whose agent is down gets no new role but keeps heartbeats', () => {
  const s0 = steady(cfg);
  const s = { ...withState(s0, 'db3', 'AWAITING_RECOVERY'), roles: s0.roles.map((a) => (a.host === 'db3' ? { ...a, host: '' } : a)) };
  const r = decide(s, observe({ db2: hostObs({}, { agent: { reachable: false } }) }), T0, cfg);
  assert.equal(holder(r.state, 'reader', '10.0.0.53'), 'db1');
  assert.ok(r.commands.some((c) => c.host === 'db2'));
});
