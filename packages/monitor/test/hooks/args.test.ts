import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHookArgs, buildHookEnv, redactArgs } from '../../src/hooks/index.js';
import type { HookArgsContext, HookCommand, HookKind } from '../../src/hooks/index.js';

const H = { host: 'db1', ip: '10.0.0.11', port: 3306, user: 'mmm_agent', password: 'p1' };
const N = { host: 'db2', ip: '10.0.0.12', port: 3307, user: 'admin', password: "s3cr'et x" };
const CTX: HookArgsContext = { sshUser: 'root', origMaster: H, newMaster: N, newSlaveHosts: ['db3', 'db4'], subject: 'S', body: 'line 1\nline 2' };

const line = (kind: HookKind, command: HookCommand, ctx: HookArgsContext = CTX): string => {
  const r = buildHookArgs(kind, command, ctx);
  if (!r.ok) return assert.fail(r.error.message);
  return r.value.join(' ');
};

test('master_ip_failover_script: status, stop, stopssh and start in MHA\'s forms', () => {
  const orig = '--ssh_user=root --orig_master_host=db1 --orig_master_ip=10.0.0.11 --orig_master_port=3306';
  assert.equal(line('master_ip_failover_script', 'status'), `--command=status ${orig}`);
  assert.equal(line('master_ip_failover_script', 'stop'), `--command=stop ${orig}`);
  assert.equal(line('master_ip_failover_script', 'stopssh'), `--command=stopssh ${orig}`);
  assert.equal(line('master_ip_failover_script', 'start'),
    `--command=start ${orig} --new_master_host=db2 --new_master_ip=10.0.0.12 --new_master_port=3307 --new_master_user=admin --new_master_password=s3cr'et x`);
});

test('each argument is one argv element: no shell quoting, spaces and quotes kept', () => {
  const r = buildHookArgs('master_ip_failover_script', 'start', CTX);
  assert.ok(r.ok);
  assert.equal(r.value.length, 10);
  assert.equal(r.value[8], '--new_master_user=admin');
  assert.equal(r.value[9], "--new_master_password=s3cr'et x");
});

test('master_ip_online_change_script: stop and start with both accounts', () => {
  const tail = '--orig_master_host=db1 --orig_master_ip=10.0.0.11 --orig_master_port=3306 --orig_master_user=mmm_agent --orig_master_password=p1 '
    + "--new_master_host=db2 --new_master_ip=10.0.0.12 --new_master_port=3307 --new_master_user=admin --new_master_password=s3cr'et x";
  assert.equal(line('master_ip_online_change_script', 'stop'), `--command=stop ${tail}`);
  assert.equal(line('master_ip_online_change_script', 'start'), `--command=start ${tail}`);
});

test('shutdown_script: status without a port, stop and stopssh with one', () => {
  assert.equal(line('shutdown_script', 'status'), '--command=status --ssh_user=root --host=db1 --ip=10.0.0.11');
  assert.equal(line('shutdown_script', 'stop'), '--command=stop --ssh_user=root --host=db1 --ip=10.0.0.11 --port=3306');
  assert.equal(line('shutdown_script', 'stopssh', { ...CTX, sshUser: 'mha' }), '--command=stopssh --ssh_user=mha --host=db1 --ip=10.0.0.11 --port=3306');
});

test('report_script: new master and slaves only when a new master is given', () => {
  const r = buildHookArgs('report_script', 'report', CTX);
  assert.deepEqual(r.ok ? r.value : null, ['--orig_master_host=db1', '--new_master_host=db2', '--new_slave_hosts=db3,db4', '--subject=S', '--body=line 1\nline 2']);
  assert.equal(line('report_script', 'report', { ...CTX, newMaster: null }), '--orig_master_host=db1 --subject=S --body=line 1\nline 2');
});

test('a command the script does not take, or a start without a new master, is HOOK_BAD_CALL', () => {
  const a = buildHookArgs('shutdown_script', 'start', CTX);
  assert.equal(a.ok ? null : a.error.code, 'HOOK_BAD_CALL');
  const b = buildHookArgs('master_ip_failover_script', 'start', { ...CTX, newMaster: null });
  assert.match(b.ok ? '' : b.error.message, /needs the new master/);
  const c = buildHookArgs('master_ip_online_change_script', 'status', CTX);
  assert.equal(c.ok, false);
});

test('the environment carries names, addresses, users and passwords of both masters', () => {
  assert.deepEqual(buildHookEnv('master_ip_failover_script', 'start', CTX), {
    MMM_HOOK: 'master_ip_failover_script', MMM_HOOK_COMMAND: 'start', MMM_SSH_USER: 'root',
    MMM_ORIG_MASTER_HOST: 'db1', MMM_ORIG_MASTER_IP: '10.0.0.11', MMM_ORIG_MASTER_PORT: '3306', MMM_ORIG_MASTER_USER: 'mmm_agent', MMM_ORIG_MASTER_PASSWORD: 'p1',
    MMM_NEW_MASTER_HOST: 'db2', MMM_NEW_MASTER_IP: '10.0.0.12', MMM_NEW_MASTER_PORT: '3307', MMM_NEW_MASTER_USER: 'admin', MMM_NEW_MASTER_PASSWORD: "s3cr'et x",
  });
  assert.equal(buildHookEnv('shutdown_script', 'stop', { ...CTX, newMaster: null }).MMM_NEW_MASTER_PASSWORD, undefined);
});

test('redactArgs hides every password value as MHA logs it', () => {
  const r = buildHookArgs('master_ip_online_change_script', 'stop', CTX);
  const shown = redactArgs(r.ok ? r.value : []);
  assert.ok(shown.includes('--orig_master_password=xxx') && shown.includes('--new_master_password=xxx'));
  assert.ok(!shown.join(' ').includes('p1') && !shown.join(' ').includes('s3cr'));
  assert.ok(shown.includes('--new_master_user=admin'));
});
