import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '@mmm-ts/protocol';
import { buildHookArgs, buildHookEnv, runHook } from '../../src/hooks/index.js';
import { argvOf, envOf, makeScript, tempDir } from './fixture.js';

const CTX = {
  sshUser: 'root',
  origMaster: { host: 'db1', ip: '10.0.0.11', port: 3306, user: 'mmm_agent', password: 'origPW-123' },
  newMaster: { host: 'db2', ip: '10.0.0.12', port: 3306, user: 'mmm_agent', password: 'newPW-456' },
};

function startArgs(): string[] {
  const r = buildHookArgs('master_ip_failover_script', 'start', CTX);
  return r.ok ? r.value : assert.fail(r.error.message);
}

test('a script receives exactly MHA\'s arguments and the MMM_* environment; the record hides passwords', async () => {
  const dir = await tempDir();
  const script = await makeScript(dir, 'mipf');
  const lines: string[] = [];
  const logger = createLogger({ name: 't', destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } }) });
  const argv = startArgs();
  const run = await runHook({ hook: 'master_ip_failover_script', path: script }, argv, buildHookEnv('master_ip_failover_script', 'start', CTX), { timeoutMs: 10_000, logger });
  assert.deepEqual(await argvOf(script), [
    '--command=start', '--ssh_user=root', '--orig_master_host=db1', '--orig_master_ip=10.0.0.11', '--orig_master_port=3306',
    '--new_master_host=db2', '--new_master_ip=10.0.0.12', '--new_master_port=3306', '--new_master_user=mmm_agent', '--new_master_password=newPW-456',
  ]);
  const env = await envOf(script);
  assert.equal(env.MMM_NEW_MASTER_PASSWORD, 'newPW-456');
  assert.equal(env.MMM_ORIG_MASTER_PASSWORD, 'origPW-123');
  assert.equal(env.MMM_HOOK_COMMAND, 'start');
  assert.equal(run.ok, true);
  assert.equal(run.exitCode, 0);
  assert.equal(run.command, 'start');
  assert.equal(run.timedOut, false);
  assert.equal(run.argv[9], '--new_master_password=xxx');
  assert.equal(run.stdout, 'stdout of master_ip_failover_script start password=xxx\n');
  assert.equal(run.stderr, 'stderr line\n');
  const record = JSON.stringify(run) + lines.join('');
  assert.ok(!record.includes('newPW-456') && !record.includes('origPW-123'), 'no password in the record or the log');
  assert.match(lines.join(''), /"event":"hook.run"/);
});

test('a script that outlives its timeout is killed with its children and reported as timed out', async () => {
  const dir = await tempDir();
  const script = await makeScript(dir, 'slow', { sleepS: 60 });
  const run = await runHook({ hook: 'shutdown_script', path: script }, ['--command=stop'], {}, { timeoutMs: 300, logger: silentLogger, killGraceMs: 200 });
  assert.equal(run.timedOut, true);
  assert.equal(run.ok, false);
  assert.equal(run.exitCode, null);
  assert.equal(run.signal, 'SIGTERM');
  const pid = Number(await readFile(`${script}.pid`, 'utf8'));
  let alive = true;
  for (let i = 0; i < 50 && alive; i++) {
    try { process.kill(pid, 0); await new Promise((r) => setTimeout(r, 50)); } catch { alive = false; }
  }
  assert.equal(alive, false, 'the sleeping child of the script was killed too');
});

test('a failing script keeps its exit code and output; a missing script is an error, not a throw', async () => {
  const dir = await tempDir();
  const script = await makeScript(dir, 'fail', { exit: 3 });
  const run = await runHook({ hook: 'report_script', path: script }, ['--subject=x'], {}, { timeoutMs: 10_000, logger: silentLogger });
  assert.equal(run.exitCode, 3);
  assert.equal(run.ok, false);
  assert.equal(run.command, 'report');
  assert.equal(run.error, null);
  const missing = await runHook({ hook: 'report_script', path: join(dir, 'nope') }, [], {}, { timeoutMs: 10_000, logger: silentLogger });
  assert.equal(missing.ok, false);
  assert.equal(missing.exitCode, null);
  assert.match(missing.error ?? '', /ENOENT/);
});

test('output beyond maxOutputBytes is dropped and counted', async () => {
  const dir = await tempDir();
  const script = await makeScript(dir, 'loud', { extra: 'head -c 5000 /dev/zero | tr "\\0" "a"' });
  const run = await runHook({ hook: 'report_script', path: script }, [], {}, { timeoutMs: 10_000, logger: silentLogger, maxOutputBytes: 100 });
  assert.equal(run.ok, true);
  assert.ok(run.stdout.startsWith('stdout of'));
  assert.match(run.stdout, /\n\[\d+ more bytes dropped\]$/);
  assert.ok(run.stdout.length < 200);
});
