// The failsafe judgement, pure: majority of all agents and a silent monitor, or fence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeFailsafe, majority } from '../../src/safety/failsafe.js';

const round = (answers: [string, number | null][], unreachable: string[] = []) => ({
  answers: answers.map(([host, sinceMonitorMs]) => ({ host, sinceMonitorMs, state: 'ONLINE' })),
  unreachable: unreachable.map((host) => ({ host, why: 'CONNECT_TIMEOUT' })),
});

test('majority counts every agent, the writer included', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(majority), [1, 2, 2, 3, 3]);
});

test('holds with a majority of silent agents; fences without one', () => {
  const base = { totalAgents: 3, selfSinceMonitorMs: 5_000, silenceMs: 1_500 };
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', null], ['db3', 2_000]]) }).hold, true);
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', 1_500]], ['db3']) }).hold, true);
  const alone = judgeFailsafe({ ...base, round: round([], ['db2', 'db3']) });
  assert.equal(alone.hold, false);
  assert.match(alone.reason, /only 1 of 3 agents reachable, 2 needed; unreachable: db2 \(CONNECT_TIMEOUT\), db3/);
  assert.equal(judgeFailsafe({ ...base, totalAgents: 5, round: round([['db2', null]], ['db3', 'db4', 'db5']) }).hold, false);
});

test('any reached agent that heard from the monitor within silenceMs fences, the writer itself too', () => {
  const base = { totalAgents: 3, silenceMs: 1_500 };
  const v = judgeFailsafe({ ...base, selfSinceMonitorMs: null, round: round([['db2', null], ['db3', 1_499]]) });
  assert.equal(v.hold, false);
  assert.match(v.reason, /db3 heard from it 1499 ms ago/);
  assert.equal(judgeFailsafe({ ...base, selfSinceMonitorMs: 200, round: round([['db2', null], ['db3', null]]) }).hold, false);
});
