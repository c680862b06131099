// The second opinion's bookkeeping on a virtual clock with a fake agent client: who is asked and with
// which deny_ms, the opinion that holds a failover, and the fence's denial quorum (runs of denials).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import { denialsNeeded, SecondOpinion } from '../../src/daemon/second-opinion.js';
import type { HostCheckAnswer } from '../../src/daemon/agents.js';

interface Asked { host: string; target: string; denyMs: number | undefined; answer: (a: HostCheckAnswer['mysql'] | null) => Promise<void> }

function rig(o: { enabled?: boolean; denyMs?: number | null; hosts?: string[] } = {}) {
  let t = 1_000_000;
  const asked: Asked[] = [];
  let changes = 0;
  const so = new SecondOpinion({
    agents: {
      checkHost: (host, target, denyMs) => new Promise((resolve) => {
        asked.push({ host, target, denyMs, answer: async (m) => { resolve(m === null ? null : { mysql: m, replication: 'io_running', detail: 'd' }); await Promise.resolve(); await Promise.resolve(); } });
      }),
    },
    hostNames: o.hosts ?? ['db1', 'db2', 'db3'],
    enabled: o.enabled ?? true,
    denyMs: o.denyMs === undefined ? 4_000 : o.denyMs,
    slackMs: 1_000,
    logger: silentLogger,
    now: () => t,
    onChange: () => { changes++; },
  });
  return { so, asked, advance: (ms: number) => { t += ms; }, now: () => t, changes: () => changes };
}

test('denials needed: the writer plus the agents left must not be a majority', () => {
  assert.deepEqual([2, 3, 4, 5, 6].map(denialsNeeded), [1, 2, 2, 3, 3]);
});

test('asks every other agent with deny_ms while the writer fails, and nobody when it does not', () => {
  const r = rig();
  r.so.update('db1', false);
  assert.equal(r.asked.length, 0);
  r.so.update('db1', true);
  assert.deepEqual(r.asked.map((a) => [a.host, a.target, a.denyMs]), [['db2', 'db1', 4000], ['db3', 'db1', 4000]]);
  r.so.update('db1', true);
  assert.equal(r.asked.length, 2, 'at most every 250 ms');
  r.advance(250);
  r.so.update('db1', true);
  assert.equal(r.asked.length, 4);
  const off = rig({ denyMs: null });
  off.so.update('db1', true);
  assert.equal(off.asked[0]?.denyMs, undefined);
  assert.equal(off.so.writerDenial(), null);
});

test('the quorum forms when the needed-th unbroken run of denials began', async () => {
  const r = rig();
  r.so.update('db1', true);
  const t0 = r.now();
  r.advance(500);
  await r.asked[0]?.answer('timeout');
  assert.deepEqual(r.so.writerDenial(), { host: 'db1', denying: ['db2'], needed: 2, quorumAt: null });
  r.advance(300);
  await r.asked[1]?.answer('refused');
  assert.deepEqual(r.so.writerDenial(), { host: 'db1', denying: ['db2', 'db3'], needed: 2, quorumAt: t0 + 800 });
  assert.equal(r.so.opinion('db2'), 'fail');
  // later denials extend the runs without moving the quorum
  r.advance(200);
  r.so.update('db1', true);
  await r.asked[2]?.answer('timeout');
  await r.asked[3]?.answer('timeout');
  assert.equal(r.so.writerDenial()?.quorumAt, t0 + 800);
  // an "ok" breaks db3's run: no quorum; its next denial starts a new run
  r.advance(250);
  r.so.update('db1', true);
  await r.asked[5]?.answer('ok');
  assert.deepEqual(r.so.writerDenial()?.denying, ['db2']);
  assert.equal(r.so.writerDenial()?.quorumAt, null);
  assert.equal(r.so.opinion('db3'), 'ok');
  r.advance(250);
  r.so.update('db1', true);
  await r.asked[7]?.answer('timeout');
  assert.equal(r.so.writerDenial()?.quorumAt, r.now());
  // no answer (agent unreachable) changes nothing
  await r.asked[6]?.answer(null);
  assert.equal(r.so.writerDenial()?.quorumAt, r.now());
});

test('a denial not refreshed stops counting before it runs out on its agent (slack), and the writer recovering clears all', async () => {
  const r = rig();
  r.so.update('db1', true);
  const asked = r.now();
  await r.asked[0]?.answer('timeout');
  await r.asked[1]?.answer('timeout');
  assert.equal(r.so.writerDenial()?.quorumAt, asked);
  r.advance(3_000);
  assert.equal(r.so.writerDenial()?.quorumAt, asked, 'held on the agents until asked + 4000; counts until 1000 before');
  r.advance(1);
  assert.deepEqual(r.so.writerDenial()?.denying, []);
  r.so.update('db1', false);
  assert.equal(r.so.writerDenial(), null);
});

test('a denial arriving after the previous one may have run out on its agent starts a new run', async () => {
  const r = rig();
  r.so.update('db1', true);
  const first = r.now();
  await r.asked[0]?.answer('timeout');
  await r.asked[1]?.answer('timeout');
  r.advance(3_000);
  r.so.update('db1', true);
  r.advance(900);
  await r.asked[2]?.answer('timeout');
  await r.asked[3]?.answer('timeout');
  assert.equal(r.so.writerDenial()?.quorumAt, first, 'arrived at first + 3900 <= first + 4000 (previous ask + deny_ms): unbroken');
  r.advance(4_001);
  r.so.update('db1', true);
  await r.asked[4]?.answer('timeout');
  await r.asked[5]?.answer('timeout');
  assert.equal(r.so.writerDenial()?.quorumAt, r.now(), 'arrived 4001 ms after the previous ask: a gap, a new run');
});

test('secondary_check off: no opinion holds the failover, the quorum is still tracked', async () => {
  const r = rig({ enabled: false });
  r.so.update('db1', true);
  await r.asked[0]?.answer('ok');
  await r.asked[1]?.answer('timeout');
  assert.equal(r.so.opinion('db2'), 'unknown');
  assert.deepEqual(r.so.writerDenial()?.denying, ['db3']);
});
