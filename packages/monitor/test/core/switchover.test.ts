import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { errantAgainst } from '../../src/core/switchover.js';
import type { DecideResult, HostObs, Intent, MonitorState, Observations } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig();
const move = (host: string, force = false, role = 'writer'): Intent => ({ id: 'mv', kind: 'move_role', role, host, force });
const agentAnswered = (at: number, ok: boolean, error?: string, reachable = true): Partial<HostObs> => ({
  agent: { reachable, uptimeS: 1000, lastSetStatusAt: at, lastSetStatusOk: ok, ...(error === undefined ? {} : { lastSetStatusError: error }) },
});
const tick = (s: MonitorState, hosts: Partial<Record<string, HostObs>>, now: number, extra: Partial<Observations> = {}, c = cfg): DecideResult =>
  decide(s, observe(hosts, extra), now, c);

test('refusals: each with its reason, and nothing changes (no failover record, roles kept, only heartbeats)', () => {
  const s = steady(cfg);
  const rows: [string, MonitorState, Intent, Partial<Record<string, HostObs>>, string][] = [
    ['target not ONLINE', withState(s, 'db2', 'REPLICATION_FAIL'), move('db2'), {}, "ERROR: Can't move role to host with state REPLICATION_FAIL."],
    ['target SQL thread stopped (before the trap made it REPLICATION_FAIL)', s, move('db2'), { db2: hostObs({}, { replication: { ioRunning: true, sqlRunning: false, lastError: '' } }) },
      "ERROR: Can't move role 'writer' to 'db2': replication on db2 is broken (SQL thread stopped), so it cannot apply what the writer committed (move_role --force overrides)."],
    ['target IO thread stopped', s, move('db2'), { db2: hostObs({}, { replication: { ioRunning: false, sqlRunning: true, lastError: 'error connecting to master' } }) },
      "ERROR: Can't move role 'writer' to 'db2': replication on db2 is broken (IO thread not running: error connecting to master), so it cannot apply what the writer committed (move_role --force overrides)."],
    ['target lags beyond the bound', s, move('db2'), { db2: hostObs({}, { repCaughtUp: false, lagS: 2 }) },
      "ERROR: Can't move role 'writer' to 'db2': db2 has not applied all replication events (lag 2s, a switchover accepts at most 1s) (move_role --force overrides)."],
    ['target lag unknown and not caught up', s, move('db2'), { db2: hostObs({}, { repCaughtUp: false, lagS: null }) },
      "ERROR: Can't move role 'writer' to 'db2': db2 has not applied all replication events (lag unknown) (move_role --force overrides)."],
    ['target with errant transactions', s, move('db2'), { db2: hostObs({}, { errant: ['0-2-229'] }) },
      "ERROR: Can't move role 'writer' to 'db2': db2 has errant transactions the current writer does not have (0-2-229); promoting it would replicate them everywhere (move_role --force overrides)."],
    ['target agent unreachable', s, move('db2'), { db2: hostObs({}, { agent: { reachable: false } }) }, "ERROR: Can't reach agent daemon on 'db2'! Can't move roles there!"],
    ['current writer agent unreachable', s, move('db2'), { db1: hostObs({}, { agent: { reachable: false } }) },
      "ERROR: Can't reach agent daemon on 'db1'! It holds role 'writer' and could not be told to release it."],
    ['already the writer', s, move('db1'), {}, "OK: Role is on 'db1' already. Skipping command."],
    ['unknown host', s, move('db9'), {}, "ERROR: Unknown host name 'db9'!"],
    ['unknown role', s, move('db2', false, 'boss'), {}, "ERROR: Unknown role name 'boss'!"],
    ['host cannot hold the role', s, move('db3'), {}, "ERROR: Host 'db3' can't handle role 'writer'. Only following hosts could: db1, db2"],
    ['--force to an ONLINE host', s, move('db2', true), {}, "ERROR: Can't force move of role to host with state ONLINE."],
    ['--force with a non-writer role', s, move('db2', true, 'reader'), {}, 'ERROR: move_role --forced may be used for the active master role only!'],
  ];
  for (const [name, st, intent, hosts, want] of rows) {
    const r = tick(st, hosts, T0, { intents: [intent] });
    assert.equal(r.intentResults[0]?.reply, want, name);
    assert.equal(r.state.failover, null, name);
    assert.equal(holder(r.state, 'writer'), 'db1', name);
    assert.deepEqual(r.commands.filter((c) => c.purpose !== 'heartbeat'), [], name);
  }
});

test('accepted: a lag within the bound; --force to a REPLICATION_FAIL host with its SQL thread stopped', () => {
  const within = tick(steady(cfg), { db2: hostObs({}, { repCaughtUp: false, lagS: 1 }) }, T0, { intents: [move('db2')] });
  assert.deepEqual(within.intentResults, []);
  assert.equal(within.state.failover?.kind, 'switchover');
  const broken = hostObs({ repThreads: 'fail' }, { replication: { ioRunning: true, sqlRunning: false, lastError: '' }, errant: ['0-2-9'] });
  const forced = tick(withState(steady(cfg), 'db2', 'REPLICATION_FAIL'), { db2: broken }, T0, { intents: [move('db2', true)] });
  assert.deepEqual(forced.intentResults, []);
  assert.equal(forced.state.failover?.kind, 'forced_switchover');
});

/** Starts a switchover db1 -> db2 and confirms db1's release: the state after the promotion tick. */
function promoted(): { r1: DecideResult; r2: DecideResult } {
  const r1 = tick(steady(cfg), {}, T0, { intents: [move('db2')] });
  const r2 = tick(r1.state, { db1: hostObs({}, agentAnswered(T0 + 5, true)) }, T0 + 20);
  return { r1, r2 };
}

test('happy path: release, promote (no second release, replicas repointed), answered when db2 confirms', () => {
  const { r1, r2 } = promoted();
  assert.deepEqual(r1.commands.filter((c) => c.critical).map((c) => [c.host, c.purpose, c.phase]), [['db1', 'release', 1]]);
  assert.deepEqual(r2.intentResults, [], 'not answered before db2 confirmed');
  assert.equal(r2.state.failover?.phase, 'promoting');
  assert.deepEqual(r2.commands.filter((c) => c.critical).map((c) => [c.host, c.purpose, c.phase]), [['db2', 'promote', 2]]);
  assert.equal(r2.commands.find((c) => c.host === 'db3')?.purpose, 'repoint');
  assert.equal(r2.commands.find((c) => c.host === 'db3')?.master, 'db2');
  const r3 = tick(r2.state, { db2: hostObs({}, agentAnswered(T0 + 20, true)) }, T0 + 80);
  assert.deepEqual(r3.intentResults, [{ id: 'mv', ok: true, reply: "OK: Role 'writer' has been moved from 'db1' to 'db2'. Now you can wait some time and check new roles info!" }]);
  assert.equal(r3.state.failover, null);
  assert.equal(holder(r3.state, 'writer'), 'db2');
  const steps = [...r1.events, ...r2.events, ...r3.events].flatMap((e) => (e.event === 'failover.step' ? [e.step] : []));
  assert.deepEqual(steps, ['started', 'promoting', 'promoted']);
});

test('rollback: the agent answers an error (sync_with_master timed out, SQL thread stopped): db1 gets the role back', () => {
  for (const error of ['ERROR: sync_with_master for writer(10.0.0.50): 0-1-90 was not applied within 3 s', 'ERROR: sync_with_master for writer(10.0.0.50): the replication SQL thread stopped while waiting for 0-1-90']) {
    const { r2 } = promoted();
    const r3 = tick(r2.state, { db2: hostObs({}, agentAnswered(T0 + 20, false, error)) }, T0 + 3_100);
    assert.equal(r3.outcome.code, 'SWITCHOVER_ABORTED');
    assert.equal(r3.state.failover?.phase, 'rolling_back');
    assert.equal(holder(r3.state, 'writer'), 'db1');
    assert.equal(r3.state.activeMaster, 'db1');
    assert.deepEqual(r3.commands.filter((c) => c.critical).map((c) => [c.host, c.purpose]), [['db1', 'promote']]);
    const db2 = r3.commands.find((c) => c.host === 'db2');
    assert.deepEqual([db2?.phase, db2?.critical, db2?.roles.some((x) => x.name === 'writer'), db2?.master], [1, false, false, 'db1'], 'db2 is told first, not awaited');
    assert.deepEqual(r3.intentResults, []);
    const r4 = tick(r3.state, { db1: hostObs({}, agentAnswered(T0 + 3_100, true)), db2: hostObs({}, agentAnswered(T0 + 20, false, error)) }, T0 + 3_150);
    assert.deepEqual(r4.intentResults, [{ id: 'mv', ok: false, reply: `ERROR: Switchover of role 'writer' from 'db1' to 'db2' failed and was rolled back: promotion of 'db2' failed: ${error}. Role 'writer' is on 'db1' again.` }]);
    assert.equal(r4.state.failover, null);
    assert.equal(holder(r4.state, 'writer'), 'db1');
    assert.deepEqual(r4.events.flatMap((e) => (e.event === 'failover.step' ? [e.step] : [])), ['aborted']);
  }
});

test('rollback: the target agent is dead (connect refused): nothing reached it, the role goes back at once', () => {
  const { r2 } = promoted();
  const r3 = tick(r2.state, { db2: hostObs({}, agentAnswered(T0 + 20, false, 'CONNECT_REFUSED: connect ECONNREFUSED 10.0.0.12:9989', false)) }, T0 + 30);
  assert.equal(r3.state.failover?.phase, 'rolling_back');
  assert.equal(holder(r3.state, 'writer'), 'db1');
  assert.equal(r3.events.some((e) => e.event === 'failover.split_brain_risk'), false);
});

test('rollback: the promote was sent but not answered: no fencing → back at once with the risk recorded; fencing wait → after the wait', () => {
  const lost = hostObs({}, agentAnswered(T0 + 20, false, 'CLOSED: connection closed before a reply line', false));
  const { r2 } = promoted();
  const r3 = tick(r2.state, { db2: lost }, T0 + 30);
  assert.equal(holder(r3.state, 'writer'), 'db1');
  assert.equal(r3.events.some((e) => e.event === 'failover.split_brain_risk' && e.host === 'db2'), true);

  const fcfg = makeConfig({}, { fencing: { mode: 'wait', waitMs: 5_000 } });
  const f1 = tick(steady(fcfg), {}, T0, { intents: [move('db2')] }, fcfg);
  const f2 = tick(f1.state, { db1: hostObs({}, agentAnswered(T0 + 5, true)) }, T0 + 20, {}, fcfg);
  const f3 = tick(f2.state, { db2: lost }, T0 + 30, {}, fcfg);
  assert.equal(f3.outcome.block, 'AWAITING_FENCING');
  assert.equal(holder(f3.state, 'writer'), 'db2', 'db2 may hold the VIP: the role stays there until the wait is over');
  const f4 = tick(f3.state, { db2: lost }, T0 + 5_100, {}, fcfg);
  assert.equal(f4.state.failover?.phase, 'rolling_back');
  assert.equal(holder(f4.state, 'writer'), 'db1');
});

test('rollback: the target leaves ONLINE while being promoted', () => {
  const { r2 } = promoted();
  const r3 = tick(r2.state, { db2: hostObs({ mysql: 'fail' }) }, T0 + 30);
  assert.equal(r3.state.hosts.db2?.state, 'HARD_OFFLINE');
  assert.equal(r3.state.failover?.phase, 'rolling_back');
  assert.equal(holder(r3.state, 'writer'), 'db1');
});

test('rollback that fails too: answered with both errors, the role stays with db1 (heartbeats retry)', () => {
  const { r2 } = promoted();
  const r3 = tick(r2.state, { db2: hostObs({}, agentAnswered(T0 + 20, false, 'ERROR: x')) }, T0 + 30);
  const r4 = tick(r3.state, { db1: hostObs({}, agentAnswered(T0 + 30, false, 'ERROR: configure_ip failed')) }, T0 + 60);
  assert.match(r4.intentResults[0]?.reply ?? '', /^ERROR: Switchover of role 'writer' from 'db1' to 'db2' failed: promotion of 'db2' failed: ERROR: x\. Giving role 'writer' back to 'db1' failed too: ERROR: configure_ip failed\./);
  assert.equal(r4.state.failover, null);
  assert.equal(holder(r4.state, 'writer'), 'db1');
});

test('release not confirmed (old writer agent gone after the start): aborted, nobody promoted', () => {
  const r1 = tick(steady(cfg), {}, T0, { intents: [move('db2')] });
  const r2 = tick(r1.state, { db1: hostObs({}, agentAnswered(T0 + 5, false, 'READ_TIMEOUT: no reply within 35000 ms', false)) }, T0 + 35_010);
  assert.equal(r2.outcome.code, 'SWITCHOVER_ABORTED');
  assert.match(r2.intentResults[0]?.reply ?? '', /^ERROR: 'db1' did not confirm that it released the writer role/);
  assert.equal(r2.commands.some((c) => c.host === 'db2' && c.purpose === 'promote'), false);
  assert.equal(holder(r2.state, 'writer'), 'db1');
});

test('the target breaks between the release and the promotion: aborted before promoting, role back to db1', () => {
  const r1 = tick(steady(cfg), {}, T0, { intents: [move('db2')] });
  const r2 = tick(r1.state, { db1: hostObs({}, agentAnswered(T0 + 5, true)), db2: hostObs({}, { replication: { ioRunning: true, sqlRunning: false, lastError: '' } }) }, T0 + 20);
  assert.match(r2.intentResults[0]?.reply ?? '', /^ERROR: Can't move role 'writer' to 'db2': replication on db2 is broken/);
  assert.equal(holder(r2.state, 'writer'), 'db1');
  assert.equal(r2.commands.find((c) => c.host === 'db1')?.purpose, 'promote');
});

test('errantAgainst: local writes count; newer GTIDs from a known server (reads at different moments) do not', () => {
  assert.deepEqual(errantAgainst('0-2-229', ['0-1-228', '0-1-228']), ['0-2-229']);
  assert.deepEqual(errantAgainst('0-1-305', ['0-1-300', '0-1-302']), [], 'the writer wrote more since its last read');
  assert.deepEqual(errantAgainst('0-1-300', ['0-1-300']), []);
  assert.deepEqual(errantAgainst('0-1-300,7-2-4', ['0-1-300']), ['7-2-4'], 'a domain nobody else has');
  assert.equal(errantAgainst(null, ['0-1-1']), null);
  assert.equal(errantAgainst('0-1-1', [null, '']), null);
  assert.equal(errantAgainst('3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5', ['0-1-1']), null, 'not MariaDB: unknown');
});
