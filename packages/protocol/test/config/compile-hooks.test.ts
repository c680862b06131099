import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edit, parseBad, parseOk, where } from './fixtures.js';

void test('hooks: the bare path form (MHA) gets the per-hook default timeout and the default policy', () => {
  const c = parseOk(edit({}, ['hooks:', '  master_ip_failover_script: /usr/local/bin/mipf', '  report_script: /usr/local/bin/rep']));
  assert.deepEqual(c.hooks.masterIpFailoverScript, { path: '/usr/local/bin/mipf', timeoutMs: 10_000, onFailure: 'default' });
  assert.deepEqual(c.hooks.reportScript, { path: '/usr/local/bin/rep', timeoutMs: 30_000, onFailure: 'default' });
  assert.equal(c.hooks.shutdownScript, null);
  assert.equal(c.hooks.masterIpOnlineChangeScript, null);
  assert.equal(c.hooks.sshUser, 'root');
});

void test('hooks: the map form sets path, timeout and on_failure; missing keys take the defaults', () => {
  const c = parseOk(edit({}, [
    'hooks:',
    '  master_ip_failover_script: { path: /bin/f, timeout: 3s, on_failure: continue }',
    '  shutdown_script: { path: /bin/s, on_failure: abort }',
    '  master_ip_online_change_script: { path: /bin/o, timeout: 1500ms }',
    '  report_script: { path: /bin/r, on_failure: default }',
    '  ssh_user: mha',
    '  secondary_check: agents',
  ]));
  assert.deepEqual(c.hooks, {
    masterIpFailoverScript: { path: '/bin/f', timeoutMs: 3000, onFailure: 'continue' },
    masterIpOnlineChangeScript: { path: '/bin/o', timeoutMs: 1500, onFailure: 'default' },
    shutdownScript: { path: '/bin/s', timeoutMs: 30_000, onFailure: 'abort' },
    reportScript: { path: '/bin/r', timeoutMs: 30_000, onFailure: 'default' },
    sshUser: 'mha',
    secondaryCheck: 'agents',
  });
});

void test('hooks: bad map forms are reported at their place', () => {
  const problems = parseBad(edit({}, [
    'hooks:', //                                                                  15
    '  master_ip_failover_script: { timeout: 3s }', //                              16: no path
    '  shutdown_script: { path: power.sh, on_failure: retry }', //                  17: relative, bad enum
    '  report_script: { path: /bin/r, timeout: 0s, colour: red }', //               18: timeout 0, unknown key
    '  master_ip_online_change_script: { path: /bin/o, timeout: soon }', //         19
  ]));
  assert.deepEqual(where(problems), [
    '16:30 CONFIG_MISSING_KEY',
    '17:28 CONFIG_BAD_VALUE', '17:50 CONFIG_BAD_VALUE',
    '18:43 CONFIG_BAD_DURATION', '18:47 CONFIG_UNKNOWN_KEY',
    '19:60 CONFIG_BAD_DURATION',
  ]);
  assert.match(problems[0]?.message ?? '', /hooks\.master_ip_failover_script\.path/);
  assert.match(problems[2]?.message ?? '', /abort \| continue \| default/);
});

void test('hooks: a script given as a number or a list is a type error', () => {
  const problems = parseBad(edit({}, ['hooks: { report_script: [a, b], shutdown_script: 5 }']));
  assert.deepEqual(where(problems).map((w) => w.split(' ')[1]), ['CONFIG_WRONG_TYPE', 'CONFIG_WRONG_TYPE']);
});
