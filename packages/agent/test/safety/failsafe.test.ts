// The failsafe judgement, pure: a majority of all agents backing the writer (no denial in force; an
// older peer: a silent monitor), or fence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeFailsafe, majority } from '../../src/safety/failsafe.js';

type A = [host: string, sinceMonitorMs: number | null, denies?: boolean | null];
const round = (answers: A[], unreachable: string[] = []) => ({
  answers: answers.map(([host, sinceMonitorMs, denies = false]) => ({ host, sinceMonitorMs, state: 'ONLINE', deniesAsker: denies })),
  unreachable: unreachable.map((host) => ({ host, why: 'CONNECT_TIMEOUT' })),
});

test('majority counts every agent, the writer included', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(majority), [1, 2, 2, 3, 3]);
});

test('holds with a majority of backing agents, whether or not they hear the monitor; fences without one', () => {
  const base = { totalAgents: 3, selfSinceMonitorMs: 5_000, silenceMs: 1_500 };
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', null], ['db3', 2_000]]) }).hold, true);
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', 100], ['db3', 100]]) }).hold, true, 'only the monitor lost the writer');
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', 1_500]], ['db3']) }).hold, true);
  const alone = judgeFailsafe({ ...base, round: round([], ['db2', 'db3']) });
  assert.equal(alone.hold, false);
  assert.match(alone.reason, /only 1 of 3 agents support this writer, 2 needed: db2 unreachable \(CONNECT_TIMEOUT\), db3 unreachable/);
  assert.equal(judgeFailsafe({ ...base, totalAgents: 5, round: round([['db2', null]], ['db3', 'db4', 'db5']) }).hold, false);
});

test('a peer whose denial is in force does not count: both denying fences, one denying with the other backing holds', () => {
  const base = { totalAgents: 3, selfSinceMonitorMs: null, silenceMs: 1_500 };
  const v = judgeFailsafe({ ...base, round: round([['db2', 100, true], ['db3', 100, true]]) });
  assert.equal(v.hold, false);
  assert.match(v.reason, /db2 told the monitor it cannot reach this writer, db3 told the monitor/);
  assert.equal(judgeFailsafe({ ...base, round: round([['db2', 100, true], ['db3', 100]]) }).hold, true);
  assert.equal(judgeFailsafe({ ...base, totalAgents: 2, round: round([['db2', null, true]]) }).hold, false, '2 hosts: the one peer must back it');
});

test('an older peer (no denial field) backs the writer only while the monitor is silent to it', () => {
  const base = { totalAgents: 3, selfSinceMonitorMs: null, silenceMs: 1_500 };
  const v = judgeFailsafe({ ...base, round: round([['db2', null, null], ['db3', 1_499, null]]) });
  assert.equal(v.hold, true, 'db2 silent: 2 of 3');
  const w = judgeFailsafe({ ...base, round: round([['db2', 10, null], ['db3', 1_499, null]]) });
  assert.equal(w.hold, false);
  assert.match(w.reason, /db2 heard from the monitor 10 ms ago, db3 heard from the monitor 1499 ms ago/);
});

test('the monitor talking to the writer itself without renewing fences it', () => {
  assert.equal(judgeFailsafe({ totalAgents: 3, silenceMs: 1_500, selfSinceMonitorMs: 200, round: round([['db2', null], ['db3', null]]) }).hold, false);
});
