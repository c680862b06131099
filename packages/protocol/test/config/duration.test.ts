import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs, formatDurationMs } from '../../src/config/index.js';

void test('durations with units and plain seconds compile to whole milliseconds', () => {
  const cases: [string | number, number][] = [
    ['250ms', 250], ['5s', 5000], ['1.5s', 1500], ['1m', 60_000], ['1h', 3_600_000], ['1m30s', 90_000],
    ['0', 0], ['0s', 0], [5, 5000], [0.25, 250], ['5', 5000], ['1.5', 1500], [' 2s ', 2000],
  ];
  for (const [input, ms] of cases) assert.deepEqual(parseDurationMs(input), { ok: true, value: ms }, `input ${JSON.stringify(input)}`);
});

void test('bad durations are refused with a reason', () => {
  for (const input of ['5x', 's', '5 s', '', '1.5.1', '-1s', -5, '1e3s', '0.5ms', 0.0001, Number.NaN]) {
    const r = parseDurationMs(input);
    assert.equal(r.ok, false, `input ${JSON.stringify(input)}`);
  }
  assert.deepEqual(parseDurationMs('-1s'), { ok: false, error: 'must not be negative' });
});

void test('formatDurationMs writes durations back the way a config would', () => {
  assert.deepEqual([0, 500, 1000, 120_000, 600_000, 3_600_000, 1500].map(formatDurationMs), ['0s', '500ms', '1s', '120s', '10m', '1h', '1500ms']);
});
