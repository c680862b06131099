import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import type { Intent, MonitorState, Observations } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig();
const ask = (s: MonitorState, intent: Intent, obs: Partial<Observations> = {}, hosts = {}): string =>
  decide(s, observe(hosts, { ...obs, intents: [intent] }), T0, cfg).intentResults[0]?.reply ?? '(none)';

test('set_online / set_offline replies as mmm_control', () => {
  const s = steady(cfg);
  const ar = withState(s, 'db3', 'AWAITING_RECOVERY');
  const rows: [MonitorState, Intent, string, Record<string, ReturnType<typeof hostObs>>?][] = [
    [s, { id: '1', kind: 'set_online', host: 'dbX' }, "ERROR: Unknown host name 'dbX'!"],
    [s, { id: '1', kind: 'set_online', host: 'db3' }, 'OK: This host is already ONLINE. Skipping command.'],
    [withState(s, 'db3', 'HARD_OFFLINE'), { id: '1', kind: 'set_online', host: 'db3' }, "ERROR: Host 'db3' is 'HARD_OFFLINE' at the moment. It can't be switched to ONLINE."],
    [ar, { id: '1', kind: 'set_online', host: 'db3' }, "ERROR: Checks ping and/or mysql are not ok for host 'db3'. It can't be switched to ONLINE.", { db3: hostObs({ mysql: 'unknown' }) }],
    [ar, { id: '1', kind: 'set_online', host: 'db3' }, "ERROR: Can't reach agent daemon on 'db3'! Can't switch its state!", { db3: hostObs({}, { agent: { reachable: false } }) }],
    [withState(s, 'db2', 'AWAITING_RECOVERY'), { id: '1', kind: 'set_online', host: 'db2' }, "ERROR: Some replication checks failed on peer 'db1'. We can't set 'db2' online now. Please, wait some time.", { db1: hostObs({ repThreads: 'fail' }) }],
    [ar, { id: '1', kind: 'set_online', host: 'db3' }, "OK: State of 'db3' changed to ONLINE. Now you can wait some time and check its new roles!"],
    [withState(s, 'db3', 'ADMIN_OFFLINE'), { id: '1', kind: 'set_offline', host: 'db3' }, 'OK: This host is already ADMIN_OFFLINE. Skipping command.'],
    [ar, { id: '1', kind: 'set_offline', host: 'db3' }, "ERROR: Host 'db3' is 'AWAITING_RECOVERY' at the moment. It can't be switched to ADMIN_OFFLINE."],
    [s, { id: '1', kind: 'set_offline', host: 'db3' }, "OK: State of 'db3' changed to ADMIN_OFFLINE. Now you can wait some time and check all roles!"],
  ];
  for (const [st, intent, reply, hosts] of rows) assert.equal(ask(st, intent, {}, hosts ?? {}), reply);
});

test('set_offline removes the roles; ADMIN_OFFLINE is left only by set_online', () => {
  const r = decide(steady(cfg), observe({}, { intents: [{ id: 'x', kind: 'set_offline', host: 'db3' }] }), T0, cfg);
  assert.equal(holder(r.state, 'reader', '10.0.0.53') === 'db3', false);
  const later = decide(r.state, observe(), T0 + 10_000_000, cfg);
  assert.equal(later.state.hosts.db3?.state, 'ADMIN_OFFLINE');
});

test('set_ip replies', () => {
  const s = steady(cfg);
  const p = { ...s, mode: 'PASSIVE' as const };
  assert.equal(ask(s, { id: '1', kind: 'set_ip', ip: '10.0.0.50', host: 'db2' }), 'ERROR: This command is only allowed in passive mode');
  assert.equal(ask(p, { id: '1', kind: 'set_ip', ip: '10.9.9.9', host: 'db2' }), "ERROR: Unknown ip '10.9.9.9'!");
  assert.equal(ask(p, { id: '1', kind: 'set_ip', ip: '10.0.0.50', host: 'db3' }), "ERROR: Host 'db3' can't handle role 'writer'. Following hosts could: db1, db2");
  assert.equal(ask(withState(p, 'db2', 'HARD_OFFLINE'), { id: '1', kind: 'set_ip', ip: '10.0.0.50', host: 'db2' }), "ERROR: Host 'db2' is 'HARD_OFFLINE' at the moment. Can't move role with ip '10.0.0.50' there.");
});

test('move_role replies', () => {
  const s = steady(cfg);
  const rows: [MonitorState, Intent, string][] = [
    [{ ...s, mode: 'PASSIVE' }, { id: '1', kind: 'move_role', role: 'writer', host: 'db2', force: false }, 'ERROR: This command is not allowed in passive mode'],
    [s, { id: '1', kind: 'move_role', role: 'nope', host: 'db2', force: false }, "ERROR: Unknown role name 'nope'!"],
    [s, { id: '1', kind: 'move_role', role: 'writer', host: 'dbX', force: false }, "ERROR: Unknown host name 'dbX'!"],
    [s, { id: '1', kind: 'move_role', role: 'reader', host: 'db3', force: false }, "OK: Balanced role reader has been removed from host 'db3'. Now you can wait some time and check new roles info!"],
    [withState(s, 'db2', 'REPLICATION_DELAY'), { id: '1', kind: 'move_role', role: 'writer', host: 'db2', force: false }, "ERROR: Can't move role to host with state REPLICATION_DELAY."],
    [s, { id: '1', kind: 'move_role', role: 'writer', host: 'db3', force: false }, "ERROR: Host 'db3' can't handle role 'writer'. Only following hosts could: db1, db2"],
    [s, { id: '1', kind: 'move_role', role: 'writer', host: 'db1', force: false }, "OK: Role is on 'db1' already. Skipping command."],
    [s, { id: '1', kind: 'move_role', role: 'reader', host: 'db2', force: true }, 'ERROR: move_role --forced may be used for the active master role only!'],
    [s, { id: '1', kind: 'move_role', role: 'writer', host: 'db2', force: true }, "ERROR: Can't force move of role to host with state ONLINE."],
  ];
  for (const [st, intent, reply] of rows) assert.equal(ask(st, intent), reply);
  assert.equal(ask(s, { id: '1', kind: 'move_role', role: 'writer', host: 'db2', force: false }, {}, { db2: hostObs({}, { agent: { reachable: false } }) }), "ERROR: Can't reach agent daemon on 'db2'! Can't move roles there!");
  assert.equal(ask(s, { id: '1', kind: 'move_role', role: 'writer', host: 'db2', force: false }, {}, { db2: hostObs({}, { repCaughtUp: false, lagS: 3 }) }), "ERROR: Can't move role 'writer' to 'db2': db2 has not applied all replication events (lag 3s, a switchover accepts at most 1s) (move_role --force overrides).");
});

test('move_role writer: answered only when promoted, in MMM words, after the old writer released', () => {
  const r1 = decide(steady(cfg), observe({}, { intents: [{ id: 'mv', kind: 'move_role', role: 'writer', host: 'db2', force: false }] }), T0, cfg);
  assert.deepEqual(r1.intentResults, []);
  assert.equal(r1.outcome.code, 'FAILOVER_STARTED');
  assert.equal(r1.outcome.detection, 'PLANNED_SWITCHOVER');
  const rel = r1.commands[0];
  assert.deepEqual([rel?.host, rel?.state, rel?.roles.map((x) => x.name), rel?.purpose], ['db1', 'ONLINE', ['reader'], 'release']);
  const again = decide(r1.state, observe({}, { intents: [{ id: 'mv2', kind: 'move_role', role: 'writer', host: 'db2', force: false }] }), T0 + 1, cfg);
  assert.equal(again.intentResults[0]?.reply, "ERROR: A writer move is already in progress ('db1' to 'db2'). Try again when it has finished.");
  const r2 = decide(r1.state, observe({ db1: hostObs({}, { agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 + 2 } }) }), T0 + 100, cfg);
  assert.deepEqual(r2.intentResults, [], 'answered once db2 confirms (switchover test: switchover.test.ts)');
  assert.equal(holder(r2.state, 'writer'), 'db2');
  assert.equal(r2.state.hosts.db1?.state, 'ONLINE');
  const r3 = decide(r2.state, observe({ db2: hostObs({}, { agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 + 100 } }) }), T0 + 150, cfg);
  assert.deepEqual(r3.intentResults, [{ id: 'mv', ok: true, reply: "OK: Role 'writer' has been moved from 'db1' to 'db2'. Now you can wait some time and check new roles info!" }]);
});

test('move_role writer: a failed demotion aborts the switchover and gives the writer back', () => {
  const r1 = decide(steady(cfg), observe({}, { intents: [{ id: 'mv', kind: 'move_role', role: 'writer', host: 'db2', force: false }] }), T0, cfg);
  const r2 = decide(r1.state, observe({ db1: hostObs({}, { agent: { reachable: true, lastSetStatusOk: false, lastSetStatusError: 'deny_write timed out', lastSetStatusAt: T0 + 2 } }) }), T0 + 100, cfg);
  assert.equal(r2.outcome.code, 'SWITCHOVER_ABORTED');
  assert.equal(r2.intentResults[0]?.reply, "ERROR: Demotion of 'db1' failed: deny_write timed out. Role 'writer' stays on 'db1'.");
  assert.equal(holder(r2.state, 'writer'), 'db1');
  assert.equal(r2.commands.find((c) => c.host === 'db1')?.purpose, 'promote');
});

test('move_role --force writer to a REPLICATION_DELAY host: it becomes ONLINE and gets the writer', () => {
  const s = withState(steady(cfg), 'db2', 'REPLICATION_DELAY');
  const r1 = decide({ ...s, roles: s.roles.map((a) => (a.host === 'db2' ? { ...a, host: 'db3' } : a)) }, observe({ db2: hostObs({ repBacklog: 'fail' }, { repCaughtUp: false }) }, { intents: [{ id: 'f', kind: 'move_role', role: 'writer', host: 'db2', force: true }] }), T0, cfg);
  assert.equal(r1.state.hosts.db2?.state, 'ONLINE');
  const r2a = decide(r1.state, observe({ db1: hostObs({}, { agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 } }), db2: hostObs({ repBacklog: 'fail' }, { repCaughtUp: false }) }), T0 + 100, cfg);
  const r2 = decide(r2a.state, observe({ db2: hostObs({ repBacklog: 'fail' }, { repCaughtUp: false, agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 + 100 } }) }), T0 + 150, cfg);
  assert.equal(r2.intentResults[0]?.reply, "OK: Role 'writer' has been moved from 'db1' to 'db2' enforcedly. Now you can wait some time and check new roles info!");
  assert.equal(holder(r2.state, 'writer'), 'db2');
});

test('state-changing intents are refused while the monitor network is down; mode changes are not', () => {
  const s = steady(cfg);
  assert.match(ask(s, { id: '1', kind: 'set_offline', host: 'db3' }, { monitorNetworkOk: false }), /^ERROR: The monitor's own network check is failing/);
  assert.equal(ask(s, { id: '1', kind: 'set_mode', mode: 'MANUAL' }, { monitorNetworkOk: false }), 'OK: Switched into manual mode.');
});
