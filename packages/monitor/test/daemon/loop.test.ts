import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import { MonitorLoop } from '../../src/daemon/loop.js';
import { makeConfig, steady, T0 } from '../core/fixture.js';
import { FakeChecks, fakeTransport, makeAgents, okAnswers, type Sent } from './fakes.js';

function setup(answer: (host: string, line: string) => string, heartbeatMs = 2000) {
  let now = T0;
  const clock = (): number => now;
  const cfg = makeConfig();
  const checks = new FakeChecks();
  const { transport, sent } = fakeTransport(answer, clock);
  const agents = makeAgents(transport, clock, heartbeatMs);
  const loop = new MonitorLoop({ cfg, checks, agents, logger: silentLogger, initialState: steady(cfg), now: clock, heartbeatMs: 1000 });
  return { loop, agents, checks, sent, advance: (ms: number) => { now += ms; }, clock };
}

const setStatusTo = (sent: readonly Sent[], host: string): Sent[] => sent.filter((s) => s.host === host && s.line.startsWith('SET_STATUS'));

async function reachAll(agents: ReturnType<typeof makeAgents>): Promise<void> {
  for (const h of ['db1', 'db2', 'db3']) await agents.ping(h);
}

void test('switchover: the old writer releases before the new one is promoted; move_role is answered after the promotion', async () => {
  const s = setup((_h, line) => okAnswers(line));
  await reachAll(s.agents);
  const answer = s.loop.submit({ kind: 'move_role', role: 'writer', host: 'db2', force: false }, 10_000);
  await s.loop.tick();
  const release = setStatusTo(s.sent, 'db1').at(-1);
  assert.ok(release !== undefined);
  assert.doesNotMatch(release.line, /writer\(/);
  assert.equal(s.sent.some((x) => x.host === 'db2' && x.line.includes('writer(')), false);
  s.advance(200);
  await s.loop.tick();
  const promote = s.sent.find((x) => x.host === 'db2' && x.line.includes('writer('));
  assert.ok(promote !== undefined, 'db2 got the writer role');
  assert.ok((release.endedAt ?? Infinity) <= promote.at, 'release answered before the promotion was sent');
  assert.equal(s.loop.state().activeMaster, 'db2');
  s.advance(200);
  await s.loop.tick();
  assert.deepEqual(await answer, { ok: true, reply: "OK: Role 'writer' has been moved from 'db1' to 'db2'. Now you can wait some time and check new roles info!" });
});

void test('a failed critical command stops the later phases of the tick, and the switchover is refused', async () => {
  const s = setup((h, line) => (h === 'db1' && line.startsWith('SET_STATUS') ? 'ERROR: deny_write failed' : okAnswers(line)));
  await reachAll(s.agents);
  const answer = s.loop.submit({ kind: 'move_role', role: 'writer', host: 'db2', force: false }, 10_000);
  const before = s.sent.length;
  await s.loop.tick();
  const tick1 = s.sent.slice(before).filter((x) => x.line.startsWith('SET_STATUS'));
  assert.deepEqual(tick1.map((x) => x.host), ['db1'], 'only the phase-1 release was sent');
  s.advance(200);
  await s.loop.tick();
  const a = await answer;
  assert.equal(a.ok, false);
  assert.match(a.reply, /^ERROR: Demotion of 'db1' failed: ERROR: deny_write failed/);
  assert.equal(s.loop.state().activeMaster, 'db1');
  assert.equal(s.sent.some((x) => x.host === 'db2' && x.line.includes('writer(')), false);
});

void test('a hung agent does not hold up the tick or the other hosts, and its heartbeats are skipped, not queued', async () => {
  const s = setup((h, line) => (h === 'db3' && line.startsWith('SET_STATUS') ? 'hang' : okAnswers(line)), 300);
  await reachAll(s.agents);
  await s.loop.tick();
  assert.equal(s.agents.isBusy('db3'), true, 'the tick ended while db3 still hangs');
  assert.equal(setStatusTo(s.sent, 'db1').length, 1);
  assert.equal(setStatusTo(s.sent, 'db2').length, 1);
  for (let i = 0; i < 6; i++) {
    s.advance(250);
    await s.loop.tick();
  }
  assert.equal(setStatusTo(s.sent, 'db3').length, 1, 'nothing piled up behind the hung request');
  assert.ok(setStatusTo(s.sent, 'db1').length >= 2, 'db1 kept getting heartbeats');
  await s.agents.idle();
  assert.equal(s.agents.record('db3').reachable, false);
});

void test('heartbeat: an unchanged SET_STATUS goes to each host once per heartbeat period, not every tick', async () => {
  const s = setup((_h, line) => okAnswers(line));
  await reachAll(s.agents);
  for (let i = 0; i < 10; i++) {
    await s.loop.tick();
    await s.agents.idle();
    s.advance(200);
  }
  for (const h of ['db1', 'db2', 'db3']) assert.equal(setStatusTo(s.sent, h).length, 2, `${h}: at 0 ms and 1000 ms`);
  assert.match(setStatusTo(s.sent, 'db1')[0]?.line ?? '', /^SET_STATUS\|1\|db1\|ONLINE\|reader\(10\.0\.0\.51\),writer\(10\.0\.0\.50\)\|db1$/);
});

void test('intents: answered from the tick that applied them; a bound turns a lost answer into a timeout error', async () => {
  const s = setup((_h, line) => okAnswers(line));
  await reachAll(s.agents);
  const mode = s.loop.submit({ kind: 'set_mode', mode: 'MANUAL' }, 10_000);
  await s.loop.tick();
  assert.deepEqual(await mode, { ok: true, reply: 'OK: Switched into manual mode.' });
  assert.equal(s.loop.state().mode, 'MANUAL');
  const never = await s.loop.submit({ kind: 'ack', host: 'db1' }, 20);
  assert.equal(never.ok, false);
  assert.match(never.reply, /^ERROR: timed out after 20 ms waiting for ack/);
  await s.loop.tick();
});
