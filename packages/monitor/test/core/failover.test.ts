import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import type { AgentCommand, HostObs } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady } from './fixture.js';

const cfg = makeConfig();
const fmt = (c: AgentCommand): string => `${c.phase}:${c.host}|${c.state}|${c.roles.map((r) => `${r.name}(${r.ip})`).join(',')}|${c.master}${c.critical ? '!' : ''}`;
const dead: HostObs = hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false, lastError: 'connect timeout' } });

test('writer MySQL down, agent up: release first, promote only after the release is confirmed', () => {
  const down = hostObs({ mysql: 'fail' }, { agent: { reachable: true, uptimeS: 1000 } });
  const r1 = decide(steady(cfg), observe({ db1: down }), T0, cfg);
  assert.equal(r1.outcome.code, 'FAILOVER_STARTED');
  assert.equal(r1.outcome.detection, 'WRITER_UNREACHABLE_AGENT_UP');
  assert.equal(r1.outcome.block, 'AWAITING_RELEASE');
  assert.equal(holder(r1.state, 'writer'), '');
  assert.equal(r1.state.activeMaster, 'db1', 'replicas keep following db1 until a new writer exists');
  assert.deepEqual(r1.commands.map(fmt), [
    '1:db1|HARD_OFFLINE||!',
    '2:db2|ONLINE|reader(10.0.0.51),reader(10.0.0.52)|db1',
    '3:db3|ONLINE|reader(10.0.0.53)|db1',
  ].sort((a, b) => a.localeCompare(b)));
  // the agent has not answered yet: still waiting
  const r2 = decide(r1.state, observe({ db1: down }), T0 + 100, cfg);
  assert.equal(r2.outcome.code, 'FAILOVER_WAITING');
  const released = hostObs({ mysql: 'fail' }, { agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 + 5 } });
  const r3 = decide(r2.state, observe({ db1: released }), T0 + 200, cfg);
  assert.equal(r3.outcome.code, 'WRITER_PROMOTED');
  assert.equal(r3.state.activeMaster, 'db2');
  assert.equal(holder(r3.state, 'writer'), 'db2');
  assert.deepEqual(r3.commands.map(fmt), [
    '1:db1|HARD_OFFLINE||!',
    '2:db2|ONLINE|reader(10.0.0.51),reader(10.0.0.52),writer(10.0.0.50)|db2!',
    '3:db3|ONLINE|reader(10.0.0.53)|db2',
  ]);
  assert.equal(r3.commands.find((c) => c.host === 'db3')?.purpose, 'repoint');
  assert.equal(r3.state.failover, null);
});

test('writer dead (host down, agent unreachable), no fencing: promoted at once, split-brain risk recorded', () => {
  const r = decide(steady(cfg), observe({ db1: dead }), T0, cfg);
  assert.equal(r.outcome.code, 'WRITER_PROMOTED');
  assert.equal(r.outcome.detection, 'WRITER_DEAD');
  assert.match(r.outcome.sentence, /^failover \(WRITER_DEAD\): promoting db2 to writer, was db1 \(risk: agent on db1 is not reachable/);
  assert.ok(r.events.some((e) => e.event === 'failover.split_brain_risk' && e.host === 'db1'));
  assert.deepEqual(r.commands.map(fmt), ['1:db1|HARD_OFFLINE||', '2:db2|ONLINE|reader(10.0.0.51),reader(10.0.0.52),writer(10.0.0.50)|db2!', '3:db3|ONLINE|reader(10.0.0.53)|db2']);
});

test('second opinion: a replica still connected to the writer blocks the failover (WRITER_UNREACHABLE)', () => {
  const r = decide(steady(cfg), observe({ db1: dead, db3: hostObs({}, { seesWriter: 'ok' }) }), T0, cfg);
  assert.equal(r.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(r.outcome.detection, 'WRITER_UNREACHABLE');
  assert.equal(r.outcome.block, 'WRITER_STILL_SEEN_BY_REPLICAS');
  assert.equal(r.state.hosts.db1?.state, 'ONLINE');
  assert.equal(holder(r.state, 'writer'), 'db1');
  const off = makeConfig({ secondaryCheck: 'off' });
  assert.equal(decide(steady(off), observe({ db1: dead, db3: hostObs({}, { seesWriter: 'ok' }) }), T0, off).outcome.code, 'WRITER_PROMOTED');
  const unknown = decide(steady(cfg), observe({ db1: dead, db3: hostObs({}, { seesWriter: 'unknown' }) }), T0, cfg);
  assert.equal(unknown.outcome.code, 'WRITER_PROMOTED');
});

test('writer agent down while MySQL answers: no failover, a warning', () => {
  const r = decide(steady(cfg), observe({ db1: hostObs({}, { agent: { reachable: false, lastError: 'ECONNREFUSED' } }) }), T0, cfg);
  assert.equal(r.outcome.code, 'WRITER_WARNING');
  assert.equal(r.outcome.detection, 'WRITER_AGENT_DOWN');
  assert.equal(holder(r.state, 'writer'), 'db1');
  assert.match(r.outcome.sentence, /writer db1: agent not reachable but MySQL answers, no failover/);
});

test('candidate not caught up: FAILOVER_BLOCKED NO_ELIGIBLE_CANDIDATE with the reason, then promoted once caught up', () => {
  const lagging = hostObs({}, { repCaughtUp: false, lagS: 12 });
  const r1 = decide(steady(cfg), observe({ db1: dead, db2: lagging }), T0, cfg);
  assert.equal(r1.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(r1.outcome.block, 'NO_ELIGIBLE_CANDIDATE');
  assert.match(r1.outcome.sentence, /db2 has not applied all replication events \(lag 12s\)/);
  assert.equal(holder(r1.state, 'writer'), '');
  assert.equal(r1.commands.some((c) => c.roles.some((x) => x.name === 'writer')), false);
  const r2 = decide(r1.state, observe({ db1: dead }), T0 + 250, cfg);
  assert.equal(r2.outcome.code, 'WRITER_PROMOTED');
  assert.equal(holder(r2.state, 'writer'), 'db2');
});

test('demotion failed while MySQL still answers: blocked and shown; with MySQL down: proceeds with the risk recorded', () => {
  const pingOnly = hostObs({ ping: 'fail' }, { agent: { reachable: true } });
  const r1 = decide(steady(cfg), observe({ db1: pingOnly }), T0, cfg);
  assert.equal(r1.outcome.block, 'AWAITING_RELEASE');
  const refused = hostObs({ ping: 'fail' }, { agent: { reachable: true, lastSetStatusOk: false, lastSetStatusError: 'ERROR: read_only could not be set', lastSetStatusAt: T0 + 1 } });
  const r2 = decide(r1.state, observe({ db1: refused }), T0 + 100, cfg);
  assert.equal(r2.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(r2.outcome.block, 'DEMOTION_FAILED');
  assert.match(r2.outcome.sentence, /demotion of db1 failed \(ERROR: read_only could not be set\)/);
  assert.equal(holder(r2.state, 'writer'), '');
  const mysqlDown = hostObs({ mysql: 'fail' }, { agent: { reachable: true, lastSetStatusOk: false, lastSetStatusError: "ERROR: can't connect", lastSetStatusAt: T0 + 1 } });
  const r3 = decide(r1.state, observe({ db1: mysqlDown }), T0 + 100, cfg);
  assert.equal(r3.outcome.code, 'WRITER_PROMOTED');
  assert.ok(r3.events.some((e) => e.event === 'failover.split_brain_risk'));
});

test('fencing gate "wait": promotion waits waitMs after detection when the old writer cannot be told', () => {
  const c = makeConfig({}, { fencing: { mode: 'wait', waitMs: 5000 } });
  const r1 = decide(steady(c), observe({ db1: dead }), T0, c);
  assert.equal(r1.outcome.code, 'FAILOVER_STARTED');
  assert.equal(r1.outcome.block, 'AWAITING_FENCING');
  assert.equal(decide(r1.state, observe({ db1: dead }), T0 + 4999, c).outcome.code, 'FAILOVER_WAITING');
  assert.equal(decide(r1.state, observe({ db1: dead }), T0 + 5000, c).outcome.code, 'WRITER_PROMOTED');
});

test('fencing gate "require": promotion waits until the old writer is observed fenced', () => {
  const c = makeConfig({}, { fencing: { mode: 'require', waitMs: 0 } });
  const r1 = decide(steady(c), observe({ db1: dead }), T0, c);
  assert.equal(r1.outcome.block, 'AWAITING_FENCING');
  const r2 = decide(r1.state, observe({ db1: { ...dead, fenced: true } }), T0 + 100, c);
  assert.equal(r2.outcome.code, 'WRITER_PROMOTED');
  assert.equal(r2.events.some((e) => e.event === 'failover.split_brain_risk'), false);
});

test('the prefer host is chosen when eligible; a failed writer coming back does not get the writer back', () => {
  const c = makeConfig({ prefer: 'db1' });
  const r = decide(steady(c), observe({ db1: dead }), T0, c);
  assert.equal(holder(r.state, 'writer'), 'db2');
  let s = r.state;
  s = decide(s, observe(), T0 + 1000, c).state; // HARD_OFFLINE -> AWAITING_RECOVERY
  s = decide(s, observe({}, { intents: [{ id: 'on', kind: 'set_online', host: 'db1' }] }), T0 + 2000, c).state;
  s = decide(s, observe(), T0 + 3000, c).state;
  assert.equal(s.hosts.db1?.state, 'ONLINE');
  assert.equal(holder(s, 'writer'), 'db2', 'no automatic failback to prefer');
});

test('no failover in PASSIVE mode', () => {
  const c = makeConfig({ mode: 'passive' });
  const r = decide(steady(c), observe({ db1: dead }), T0, c);
  assert.deepEqual(r.commands, []);
  assert.equal(r.state.activeMaster, 'db1');
  assert.equal(holder(r.state, 'writer'), '');
});

test('set_offline of the writer is a failover through the release path (WRITER_ADMIN_OFFLINE)', () => {
  const r1 = decide(steady(cfg), observe({}, { intents: [{ id: 'o', kind: 'set_offline', host: 'db1' }] }), T0, cfg);
  assert.equal(r1.intentResults[0]?.reply, "OK: State of 'db1' changed to ADMIN_OFFLINE. Now you can wait some time and check all roles!");
  assert.equal(r1.outcome.detection, 'WRITER_ADMIN_OFFLINE');
  assert.equal(r1.commands[0]?.host, 'db1');
  assert.equal(r1.commands[0]?.state, 'ADMIN_OFFLINE');
  const r2 = decide(r1.state, observe({ db1: hostObs({}, { agent: { reachable: true, lastSetStatusOk: true, lastSetStatusAt: T0 } }) }), T0 + 100, cfg);
  assert.equal(holder(r2.state, 'writer'), 'db2');
});
