import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@mmm-ts/protocol/config';
import type { ClusterConfig } from '@mmm-ts/protocol/config';
import { silentLogger } from '@mmm-ts/protocol';
import { reportFromMoveRecord, runFailoverHooks, runOnlineChangeHooks, writerAddressByScript } from '../../src/hooks/index.js';
import { argvOf, envOf, makeScript, tempDir } from './fixture.js';
import { RECORD } from './record.js';

function config(hooks: string[]): ClusterConfig {
  const r = parseConfig([
    'cluster: t',
    'host_defaults: { agent_password: agentPW, monitor_password: m, replication_password: r }',
    'hosts:',
    '  db1: { ip: 10.0.0.11, mode: master, peer: db2 }',
    '  db2: { ip: 10.0.0.12, mode: master, peer: db1 }',
    '  db3: { ip: 10.0.0.13, mode: slave }',
    'roles:',
    '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.50] }',
    'security: { secret: k }',
    'hooks:',
    ...hooks.map((h) => `  ${h}`),
  ].join('\n'), 'c.yaml');
  return r.ok ? r.value : assert.fail(JSON.stringify(r.error));
}
const opts = { logger: silentLogger };

test('no hook configured: every phase proceeds with nothing run, and the agents keep the writer VIP', async () => {
  const cfg = config([]);
  for (const phase of ['status_check', 'stop_old', 'shutdown_old', 'start_new', 'report'] as const) {
    const r = await runFailoverHooks(cfg, phase, { origMaster: 'db1', newMaster: 'db2' }, opts);
    assert.deepEqual([r.proceed, r.code, r.runs.length], [true, 'HOOK_NOT_CONFIGURED', 0]);
  }
  assert.equal(writerAddressByScript(cfg), false);
});

test('a failover runs status, stop/stopssh, shutdown and start with the config\'s hosts and accounts', async () => {
  const dir = await tempDir();
  const f = await makeScript(dir, 'mipf');
  const s = await makeScript(dir, 'power');
  const cfg = config([`master_ip_failover_script: ${f}`, `shutdown_script: ${s}`, 'ssh_user: mha']);
  assert.equal(writerAddressByScript(cfg), true);
  const status = await runFailoverHooks(cfg, 'status_check', { origMaster: 'db1' }, opts);
  assert.deepEqual(status.runs.map((r) => `${r.hook} ${r.command}`), ['master_ip_failover_script status', 'shutdown_script status']);
  assert.equal(status.proceed, true);
  const stop = await runFailoverHooks(cfg, 'stop_old', { origMaster: 'db1', origHostReachable: true }, opts);
  assert.equal(stop.code, 'HOOK_OK');
  assert.deepEqual(await argvOf(f), ['--command=stopssh', '--ssh_user=mha', '--orig_master_host=db1', '--orig_master_ip=10.0.0.11', '--orig_master_port=3306']);
  await runFailoverHooks(cfg, 'shutdown_old', { origMaster: 'db1', origHostReachable: false }, opts);
  assert.deepEqual(await argvOf(s), ['--command=stop', '--ssh_user=mha', '--host=db1', '--ip=10.0.0.11', '--port=3306']);
  const start = await runFailoverHooks(cfg, 'start_new', { origMaster: 'db1', newMaster: 'db2' }, opts);
  assert.equal(start.proceed, true);
  assert.deepEqual((await argvOf(f))?.slice(5), [
    '--new_master_host=db2', '--new_master_ip=10.0.0.12', '--new_master_port=3306', '--new_master_user=mmm_agent', '--new_master_password=agentPW',
  ]);
  assert.equal((await envOf(f)).MMM_NEW_MASTER_PASSWORD, 'agentPW');
  assert.ok(!JSON.stringify(start).includes('agentPW'));
});

test('on_failure abort stops the move, continue goes on, exit 10 always proceeds (MHA)', async () => {
  const dir = await tempDir();
  const failing = await makeScript(dir, 'fail', { exit: 1 });
  const ten = await makeScript(dir, 'ten', { exit: 10 });
  const abort = await runFailoverHooks(config([`master_ip_failover_script: { path: ${failing}, on_failure: abort }`]), 'start_new', { origMaster: 'db1', newMaster: 'db2' }, opts);
  assert.deepEqual([abort.proceed, abort.code], [false, 'HOOK_FAILED_ABORT']);
  assert.match(abort.reason, /exited 1; aborting \(on_failure\)/);
  assert.equal(abort.runs[0]?.exitCode, 1);
  const cont = await runFailoverHooks(config([`master_ip_failover_script: { path: ${failing}, on_failure: continue }`]), 'start_new', { origMaster: 'db1', newMaster: 'db2' }, opts);
  assert.deepEqual([cont.proceed, cont.code], [true, 'HOOK_FAILED_CONTINUE']);
  const proceed = await runFailoverHooks(config([`master_ip_failover_script: { path: ${ten}, on_failure: abort }`]), 'stop_old', { origMaster: 'db1' }, opts);
  assert.deepEqual([proceed.proceed, proceed.code], [true, 'HOOK_EXIT_10_PROCEED']);
});

test('default policy: a failing stop aborts unless the old master is confirmed dead; a failing report continues', async () => {
  const dir = await tempDir();
  const failing = await makeScript(dir, 'fail', { exit: 2 });
  const cfg = config([`master_ip_failover_script: ${failing}`, `shutdown_script: ${failing}`, `report_script: ${failing}`]);
  assert.equal((await runFailoverHooks(cfg, 'stop_old', { origMaster: 'db1' }, opts)).proceed, false);
  assert.equal((await runFailoverHooks(cfg, 'stop_old', { origMaster: 'db1', origMasterConfirmedDead: true }, opts)).proceed, true);
  assert.equal((await runFailoverHooks(cfg, 'shutdown_old', { origMaster: 'db1' }, opts)).proceed, false);
  assert.equal((await runFailoverHooks(cfg, 'shutdown_old', { origMaster: 'db1', origMasterConfirmedDead: true }, opts)).code, 'HOOK_FAILED_CONTINUE');
  const status = await runFailoverHooks(cfg, 'status_check', { origMaster: 'db1' }, opts);
  assert.deepEqual([status.proceed, status.runs.length], [false, 1]);
  const report = await runFailoverHooks(cfg, 'report', { origMaster: 'db1', report: reportFromMoveRecord(RECORD, [], cfg) }, opts);
  assert.deepEqual([report.proceed, report.code], [true, 'HOOK_FAILED_CONTINUE']);
});

test('a timed-out hook counts as a failure (no MHA exit 10)', async () => {
  const dir = await tempDir();
  const slow = await makeScript(dir, 'slow', { sleepS: 60 });
  const r = await runFailoverHooks(config([`master_ip_failover_script: { path: ${slow}, timeout: 300ms }`]), 'stop_old', { origMaster: 'db1' }, { logger: silentLogger, killGraceMs: 200 });
  assert.deepEqual([r.proceed, r.code, r.runs[0]?.timedOut], [false, 'HOOK_FAILED_ABORT', true]);
  assert.match(r.reason, /timed out after \d+ ms and was killed/);
});

test('report_script gets the subject and the MHA-style report as --body, with the repointed replicas', async () => {
  const dir = await tempDir();
  const rep = await makeScript(dir, 'report');
  const cfg = config([`report_script: ${rep}`]);
  const report = reportFromMoveRecord(RECORD, [], cfg);
  const r = await runFailoverHooks(cfg, 'report', { origMaster: 'db1', newMaster: 'db2', report }, opts);
  assert.equal(r.code, 'HOOK_OK');
  const argv = (await argvOf(rep)) ?? [];
  assert.deepEqual(argv.slice(0, 4), ['--orig_master_host=db1', '--new_master_host=db2', '--new_slave_hosts=db3',
    '--subject=t: MySQL Master failover db1(10.0.0.11:3306) to db2(10.0.0.12:3306) succeeded']);
  assert.match(argv[4] ?? '', /^--body=----- Failover Report -----\n/);
  assert.match(argv[4] ?? '', /Master failover to db2\(10\.0\.0\.12:3306\) completed successfully\.\n$/);
});

test('a switchover runs the online-change script with both accounts; a failing stop aborts by default', async () => {
  const dir = await tempDir();
  const ok = await makeScript(dir, 'online');
  const cfg = config([`master_ip_online_change_script: ${ok}`]);
  const r = await runOnlineChangeHooks(cfg, 'stop', { origMaster: 'db1', newMaster: 'db2' }, opts);
  assert.equal(r.proceed, true);
  assert.deepEqual(await argvOf(ok), [
    '--command=stop', '--orig_master_host=db1', '--orig_master_ip=10.0.0.11', '--orig_master_port=3306', '--orig_master_user=mmm_agent', '--orig_master_password=agentPW',
    '--new_master_host=db2', '--new_master_ip=10.0.0.12', '--new_master_port=3306', '--new_master_user=mmm_agent', '--new_master_password=agentPW',
  ]);
  const failing = await makeScript(dir, 'fail', { exit: 1 });
  const bad = await runOnlineChangeHooks(config([`master_ip_online_change_script: ${failing}`]), 'start', { origMaster: 'db1', newMaster: 'db2' }, opts);
  assert.deepEqual([bad.proceed, bad.code], [false, 'HOOK_FAILED_ABORT']);
  const unknown = await runOnlineChangeHooks(cfg, 'start', { origMaster: 'db1', newMaster: 'db9' }, opts);
  assert.deepEqual([unknown.proceed, unknown.code], [false, 'HOOK_BAD_CALL']);
});
