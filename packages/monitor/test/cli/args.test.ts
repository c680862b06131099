import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommonArgs } from '../../src/cli/args.js';

void test('defaults: /etc/mmm/cluster.yaml, info, nothing else set', () => {
  const r = parseCommonArgs(['show']);
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    help: false, version: false, config: '/etc/mmm/cluster.yaml', configGiven: false, logLevel: 'info', logPretty: false,
    allowReadableConfig: false, json: false, flags: {}, positionals: ['show'],
  });
});

void test('every common flag, and program flags anywhere on the line', () => {
  const r = parseCommonArgs(['--config', 'c.yaml', '--log-level', 'debug', '--log-pretty', '--allow-readable-config', '--json',
    'move_role', '--force', 'writer', 'db2', '--host', 'db1'], { force: { type: 'boolean' }, host: { type: 'string' } });
  assert.ok(r.ok);
  assert.equal(r.value.config, 'c.yaml');
  assert.equal(r.value.configGiven, true);
  assert.equal(r.value.logLevel, 'debug');
  assert.equal(r.value.logPretty && r.value.allowReadableConfig && r.value.json, true);
  assert.deepEqual(r.value.flags, { force: true, host: 'db1' });
  assert.deepEqual(r.value.positionals, ['move_role', 'writer', 'db2']);
  const help = parseCommonArgs(['--help', '--version']);
  assert.ok(help.ok && help.value.help && help.value.version);
});

void test('unknown flags, bad log levels and missing values are usage errors, not exceptions', () => {
  assert.deepEqual(parseCommonArgs(['--bogus']), { ok: false, error: "Unknown option '--bogus'" });
  const level = parseCommonArgs(['--log-level', 'loud']);
  assert.ok(!level.ok && level.error.includes('trace|debug|info|warn|error'));
  const noValue = parseCommonArgs(['--config']);
  assert.ok(!noValue.ok && noValue.error.includes('--config'));
  assert.equal(parseCommonArgs(['--force']).ok, false);
});
