// The outage measure of a fault run: the longest time without an acknowledged write around the fault,
// so a client that succeeded on the new writer and then stalled again is not reported as recovered fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longestAckGap } from './scenario.js';

const ok = (ackAt: number) => ({ ok: true, ackAt });
const bad = { ok: false };

test('the longest gap counts from the last ack before the fault, including a stall after the first new ack', () => {
  const records = [ok(0), ok(20), ok(40), bad, bad, ok(100), ok(120), bad, bad, ok(900), ok(920)];
  assert.equal(longestAckGap(records, 50), 780, '120 -> 900, not 40 -> 100');
  assert.equal(longestAckGap(records, 10_000), null, 'nothing after the fault');
  assert.equal(longestAckGap([ok(10), ok(30)], 0), 20, 'no ack before the fault: from the first one');
  assert.equal(longestAckGap([bad, bad], 0), null);
});
