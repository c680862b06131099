import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { T0, holder, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

test('MANUAL: states change but a failed host keeps its roles (no failover)', () => {
  const cfg = makeConfig({ mode: 'manual' });
  const r = decide(steady(cfg), observe({ db1: hostObs({ mysql: 'fail' }, { agent: { reachable: false } }) }), T0, cfg);
  assert.equal(r.state.hosts.db1?.state, 'HARD_OFFLINE');
  assert.equal(holder(r.state, 'writer'), 'db1');
  assert.match(r.outcome.sentence, /writer db1 is HARD_OFFLINE and keeps its roles in MANUAL mode/);
});

test('MANUAL: orphaned readers are still placed; preferences are not obeyed', () => {
  const cfg = makeConfig({ mode: 'manual' });
  const s0 = steady(cfg);
  const s = { ...s0, roles: s0.roles.map((a) => (a.ip === '10.0.0.53' ? { ...a, host: '' } : a)) };
  const r = decide(s, observe(), T0, cfg);
  assert.notEqual(holder(r.state, 'reader', '10.0.0.53'), '');
});

test('set_active from MANUAL removes roles from hosts that are not ONLINE, then fails over', () => {
  const cfg = makeConfig({ mode: 'manual' });
  const s = withState(steady(cfg), 'db1', 'HARD_OFFLINE');
  const obs = observe({ db1: hostObs({ mysql: 'fail' }, { agent: { reachable: false } }) }, { intents: [{ id: 'm', kind: 'set_mode', mode: 'ACTIVE' }] });
  const r = decide(s, obs, T0, cfg);
  assert.equal(r.intentResults[0]?.reply, 'OK: Switched into active mode.');
  assert.equal(r.state.mode, 'ACTIVE');
  assert.equal(holder(r.state, 'writer'), 'db2');
});

test('WAIT: acts as manual until both masters are ONLINE', () => {
  const cfg = makeConfig({ mode: 'wait' });
  const s = withState(withState(steady(cfg), 'db2', 'AWAITING_RECOVERY'), 'db1', 'ONLINE', { onlineSince: T0 - 1000 });
  const r = decide(s, observe(), T0, cfg);
  assert.equal(r.state.mode, 'WAIT');
  const both = decide(steady(cfg), observe(), T0, cfg);
  assert.equal(both.state.mode, 'ACTIVE');
  assert.equal(both.outcome.code, 'MODE_CHANGED');
});

test('WAIT: becomes ACTIVE after wait_for_other_master with one master ONLINE', () => {
  const cfg = makeConfig({ mode: 'wait' });
  const s = withState(withState(steady(cfg), 'db2', 'AWAITING_RECOVERY'), 'db1', 'ONLINE', { onlineSince: T0 });
  assert.equal(decide(s, observe(), T0 + 119_000, cfg).state.mode, 'WAIT');
  assert.equal(decide(s, observe(), T0 + 120_000, cfg).state.mode, 'ACTIVE');
});

test('PASSIVE: nothing is sent, roles are not placed, states still change', () => {
  const cfg = makeConfig({ mode: 'passive' });
  const s0 = steady(cfg);
  const s = { ...s0, passiveReason: 'Configured mode is passive.', roles: s0.roles.map((a) => (a.ip === '10.0.0.53' ? { ...a, host: '' } : a)) };
  const r = decide(s, observe({ db2: hostObs({ mysql: 'fail' }) }), T0, cfg);
  assert.deepEqual(r.commands, []);
  assert.equal(r.state.hosts.db2?.state, 'HARD_OFFLINE');
  assert.equal(holder(r.state, 'reader', '10.0.0.53'), '');
  const quiet = decide(s, observe(), T0, cfg);
  assert.equal(quiet.outcome.code, 'PASSIVE_MODE');
});

test('PASSIVE: set_ip assigns a role by hand; set_active leaves passive and sends status again', () => {
  const cfg = makeConfig({ mode: 'passive' });
  const s0 = steady(cfg);
  const s = { ...s0, roles: s0.roles.map((a) => ({ ...a, host: '' })), activeMaster: '' };
  const r = decide(s, observe({}, { intents: [{ id: 'a', kind: 'set_ip', ip: '10.0.0.50', host: 'db2' }] }), T0, cfg);
  assert.equal(r.intentResults[0]?.reply, "OK: Set role 'writer(10.0.0.50)' to host 'db2'.");
  assert.equal(r.state.activeMaster, 'db2');
  const r2 = decide(r.state, observe({}, { intents: [{ id: 'b', kind: 'set_mode', mode: 'ACTIVE' }] }), T0 + 1, cfg);
  assert.equal(r2.intentResults[0]?.reply, 'OK: Switched into active mode.');
  assert.equal(r2.commands.length, 3);
  assert.equal(holder(r2.state, 'writer'), 'db2');
});

test('mode replies as mmm_control', () => {
  const cfg = makeConfig();
  const s = steady(cfg);
  const ask = (mode: 'ACTIVE' | 'MANUAL' | 'PASSIVE', st = s): string => decide(st, observe({}, { intents: [{ id: 'x', kind: 'set_mode', mode }] }), T0, cfg).intentResults[0]?.reply ?? '';
  assert.equal(ask('ACTIVE'), 'OK: Already in active mode.');
  assert.equal(ask('MANUAL'), 'OK: Switched into manual mode.');
  assert.equal(ask('PASSIVE'), 'OK: Switched into passive mode.');
  assert.equal(ask('MANUAL', { ...s, mode: 'WAIT' }), 'OK: Already in manual mode.');
  assert.equal(ask('PASSIVE', { ...s, mode: 'PASSIVE' }), 'OK: Already in passive mode.');
});
