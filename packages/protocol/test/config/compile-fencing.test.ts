import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem } from '../../src/config/index.js';
import { edit, parseBad, parseOk, where } from './fixtures.js';

void test('fencing defaults: a 3 s writer lease, a 1 s margin, the peers failsafe', () => {
  assert.deepEqual(parseOk(edit({})).fencing, { writerLeaseMs: 3_000, marginMs: 1_000, failsafe: 'peers' });
});

void test('fencing keys are compiled with their units', () => {
  const c = parseOk(edit({}, ['fencing:', '  writer_lease: 1.5s', '  margin: 250ms', '  failsafe: off']));
  assert.deepEqual(c.fencing, { writerLeaseMs: 1_500, marginMs: 250, failsafe: 'off' });
});

void test('writer_lease 0 turns the lease off; plain numbers are seconds', () => {
  assert.equal(parseOk(edit({}, ['fencing: { writer_lease: 0 }'])).fencing.writerLeaseMs, 0);
  assert.equal(parseOk(edit({}, ['fencing: { writer_lease: 10, margin: 2 }'])).fencing.marginMs, 2_000);
});

void test('fencing problems: wrong types, bad durations, out-of-range leases, unknown values and keys', () => {
  const problems = parseBad(edit({}, [
    'fencing:', //                        15
    '  writer_lease: [3s]', //            16
    '  margin: -1s', //                   17
    '  failsafe: quorum', //              18
    '  lease: 3s', //                     19
  ]));
  assert.deepEqual(where(problems), [
    '16:17 CONFIG_WRONG_TYPE', '17:11 CONFIG_BAD_DURATION', '18:13 CONFIG_BAD_VALUE', '19:3 CONFIG_UNKNOWN_KEY',
  ]);
  const short = parseBad(edit({}, ['fencing: { writer_lease: 100ms }']));
  assert.deepEqual(where(short), ['15:26 CONFIG_BAD_DURATION']);
  assert.match(formatProblem(short[0] ?? assert.fail()), /must be 0 \(no lease\) or between 500ms and 10m/);
  assert.deepEqual(where(parseBad(edit({}, ['fencing: { writer_lease: 11m }']))), ['15:26 CONFIG_BAD_DURATION']);
  assert.deepEqual(where(parseBad(edit({}, ['fencing: { writer_lease: 3 seconds }']))), ['15:26 CONFIG_BAD_DURATION']);
  assert.deepEqual(where(parseBad(edit({}, ['fencing: on']))), ['15:10 CONFIG_WRONG_TYPE']);
});
