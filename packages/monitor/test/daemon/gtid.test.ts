// The failover record's GTID memory: the latest reading wins by the time it was taken, so a dead
// host's last real position (and its real age) survive; and the "at risk" arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GtidMemory, gtidsMissing } from '../../src/daemon/gtid.js';

test('a position keeps the time it was read; an older reading never replaces a newer one', () => {
  const m = new GtidMemory();
  m.note('db1', '0-1-21', 1_000);
  m.note('db1', '0-1-4', 900);
  assert.equal(m.get('db1'), '0-1-21');
  assert.equal(m.at('db1'), 1_000);
  m.note('db1', null, 2_000);
  m.note('db1', '', 2_000);
  assert.equal(m.at('db1'), 1_000, 'nothing read: the last real reading stays, with its own time');
  m.note('db1', '0-1-22', 1_500);
  assert.deepEqual([m.get('db1'), m.at('db1')], ['0-1-22', 1_500]);
});

test('transactions the old writer had that the new one lacks, per domain', () => {
  assert.deepEqual(gtidsMissing('0-1-22', ['0-1-21']), ['0-1-22']);
  assert.deepEqual(gtidsMissing('0-1-22,1-1-5', ['0-1-19', '1-1-5']), ['0-1-20..22']);
  assert.deepEqual(gtidsMissing('0-1-22', ['0-2-30']), []);
  assert.equal(gtidsMissing(null, ['0-1-1']), null);
});
