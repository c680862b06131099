// MHA-compatible hooks and the anti-flapping failover block on a real 3-host cluster (prefix mk1,
// 10.200.42.0/24): bash hook scripts written here record their argv and MMM_* environment; a kill -9
// of the writer's mysqld gives them exactly MHA's arguments and report_script the report as --body;
// the writer failing again within failover_block is refused with the `ack` hint until
// `mmm-control ack`; a failing stop hook with on_failure abort prevents the promotion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../lib/cluster.js';
import { eventually } from '../lib/eventually.js';

let cluster: Cluster | undefined;
const c = (): Cluster => { if (cluster === undefined) throw new Error('no cluster'); return cluster; };
let dir = '';
const calls = (): string => join(dir, 'calls');

// One script per hook: argv (one element a line) and the MMM_* environment go to calls/<hook>.<n>.{argv,env};
// a file fail-<hook>-<command> makes it exit 1.
const SCRIPT = (name: string): string => `#!/bin/bash
cmd=report
for a in "$@"; do case "$a" in --command=*) cmd="\${a#--command=}";; esac; done
n=$(date +%s%N)
printf '%s\\n' "$@" > "${dir}/calls/${name}.$cmd.$n.argv"
env | grep '^MMM_' | sort > "${dir}/calls/${name}.$cmd.$n.env"
[ -e "${dir}/fail-${name}-$cmd" ] && { echo "refusing $cmd" >&2; exit 1; }
exit 0
`;

interface Call { readonly name: string; readonly command: string; readonly argv: string[]; readonly env: Record<string, string> }

async function recorded(): Promise<Call[]> {
  const files = (await readdir(calls())).filter((f) => f.endsWith('.argv')).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  return Promise.all(files.map(async (f) => {
    const [name = '', command = ''] = f.split('.');
    const argv = (await readFile(join(calls(), f), 'utf8')).replace(/\n$/, '').split('\n');
    const envText = await readFile(join(calls(), f.replace(/\.argv$/, '.env')), 'utf8').catch(() => '');
    const env: Record<string, string> = {};
    for (const line of envText.split('\n')) { const i = line.indexOf('='); if (i > 0) env[line.slice(0, i)] = line.slice(i + 1); }
    return { name, command, argv, env };
  }));
}

async function clearCalls(): Promise<void> {
  await rm(calls(), { recursive: true, force: true });
  await mkdir(calls(), { recursive: true });
}

const ip = (host: string): string => c().rig.hosts.find((h) => h.name === host)?.ip ?? '?';

async function bringBack(host: string): Promise<void> {
  await c().rig.startMysqld(host);
  await eventually(() => c().show(), (s) => s[host]?.state === 'AWAITING_RECOVERY' || s[host]?.state === 'ONLINE', { timeoutMs: 30_000, intervalMs: 200 });
  if ((await c().show())[host]?.state !== 'ONLINE') await c().monitor.control(`set_online ${host}`, 10_000);
  await eventually(() => c().show(), (s) => s[host]?.state === 'ONLINE', { timeoutMs: 30_000, intervalMs: 200 });
}

before(async () => {
  dir = `/tmp/mk1-hooks-${process.pid}`;
  await mkdir(calls(), { recursive: true });
  for (const name of ['mipf', 'shutdown', 'report']) {
    await writeFile(join(dir, `${name}.sh`), SCRIPT(name));
    await chmod(join(dir, `${name}.sh`), 0o755);
  }
  cluster = await startCluster({
    prefix: 'mk1', subnet: 42, failoverBlock: '1h',
    extraYaml: [
      'hooks:',
      `  master_ip_failover_script: { path: ${dir}/mipf.sh, on_failure: abort }`,
      `  shutdown_script: ${dir}/shutdown.sh`,
      `  report_script: ${dir}/report.sh`,
    ].join('\n'),
  });
});

after(async () => {
  await cluster?.destroy();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

test('kill -9 of the writer: the hooks get exactly MHA\'s arguments, passwords in the environment, report_script the report as --body', async () => {
  await clearCalls();
  await c().rig.killMysqld('db1');
  await eventually(() => c().writer(), (w) => w === 'db2', { timeoutMs: 30_000, intervalMs: 100 });
  await eventually(recorded, (r) => r.some((x) => x.name === 'report'), { timeoutMs: 20_000, intervalMs: 200 });
  const r = await recorded();
  assert.deepEqual(r.map((x) => `${x.name}:${x.command}`).map((s) => s.replace('stopssh', 'stop')), ['mipf:stop', 'shutdown:stop', 'mipf:start', 'report:report']);
  const [stop, shut, start, report] = r;
  assert.ok(stop !== undefined && shut !== undefined && start !== undefined && report !== undefined);
  const orig = [`--orig_master_host=db1`, `--orig_master_ip=${ip('db1')}`, '--orig_master_port=3306'];
  assert.deepEqual(stop.argv, [`--command=${stop.command}`, '--ssh_user=root', ...orig]);
  assert.deepEqual(shut.argv, [`--command=${shut.command}`, '--ssh_user=root', '--host=db1', `--ip=${ip('db1')}`, '--port=3306']);
  const user = start.env['MMM_NEW_MASTER_USER'] ?? '';
  const password = start.env['MMM_NEW_MASTER_PASSWORD'] ?? '';
  assert.ok(user !== '' && password !== '', 'the account and its password reach the script through the environment');
  assert.equal(start.env['MMM_HOOK'], 'master_ip_failover_script');
  assert.deepEqual(start.argv, ['--command=start', '--ssh_user=root', ...orig,
    '--new_master_host=db2', `--new_master_ip=${ip('db2')}`, '--new_master_port=3306', `--new_master_user=${user}`, `--new_master_password=${password}`]);
  assert.deepEqual(report.argv.slice(0, 3), ['--orig_master_host=db1', '--new_master_host=db2', '--new_slave_hosts=db3']);
  assert.match(report.argv[3] ?? '', /^--subject=.*MySQL Master failover db1\(.*\) to db2\(.*\) succeeded$/);
  const body = (report.argv.slice(4).join('\n')).replace(/^--body=/, '');
  assert.match(body, /^----- Failover Report -----/);
  assert.match(body, /Master db1\(.*\) is down!/);
  assert.match(body, /master_ip_failover_script --command=start {2}exit 0/);
  assert.match(body, /Master failover to db2\(.*\) completed successfully\./);
  const history = await c().monitor.control('history 1', 5_000);
  assert.match(history, /failover .*: db1 -> db2, promoted/);
  assert.match(history, /----- Failover Report -----/);
  assert.match(history, /Hooks run:\n {2}master_ip_failover_script --command=stop/);
});

test('the writer fails again within failover_block: no failover, FAILOVER_BLOCKED with the ack hint; `mmm-control ack` lets it happen', async (t) => {
  await bringBack('db1');
  await clearCalls();
  await c().rig.killMysqld('db2');
  const show = await eventually(() => c().monitor.control('show', 5_000), (s) => s.includes('FAILOVER_BLOCKED'), { timeoutMs: 30_000, intervalMs: 200 });
  t.diagnostic(show.split('\n').filter((l) => l.startsWith('#')).join(' | '));
  assert.match(show, /# Status: FAILOVER_BLOCKED: .*automatic failover blocked until .* after the failover at .*: run `mmm-control ack` to allow one/);
  assert.equal(await c().writer(), '');
  assert.deepEqual(await recorded(), [], 'no hook ran for the blocked failover');
  const ack = await c().monitor.control('ack', 10_000);
  assert.match(ack, /^OK: Acknowledged the failover at /);
  await eventually(() => c().writer(), (w) => w === 'db1', { timeoutMs: 30_000, intervalMs: 100 });
});

test('a failing stop hook with on_failure abort: nobody is promoted, the record says aborted, show names `mmm-control ack`', async () => {
  await bringBack('db2');
  assert.match(await c().monitor.control('ack', 10_000), /^OK/);
  await clearCalls();
  await writeFile(join(dir, 'fail-mipf-stop'), '');
  await writeFile(join(dir, 'fail-mipf-stopssh'), '');
  await c().rig.killMysqld('db1');
  const show = await eventually(() => c().monitor.control('show', 5_000), (s) => s.includes('HOOK') || s.includes('aborted by a hook') || s.includes('hook aborted'), { timeoutMs: 30_000, intervalMs: 200 });
  assert.match(show, /# Status: FAILOVER_BLOCKED: .*(aborted by a hook|hook aborted).*mmm-control ack/);
  assert.equal(await c().writer(), '');
  const history = await eventually(() => c().monitor.control('history 1', 5_000), (h) => /aborted/.test(h.split('\n')[0] ?? ''), { timeoutMs: 10_000, intervalMs: 200 });
  assert.match(history, /failover .*: db1 -> db2, aborted/);
  assert.match(history, /master_ip_failover_script --command=stop(ssh)? {2}exited 1/);
  const r = await recorded();
  assert.equal(r.some((x) => x.name === 'mipf' && x.command === 'start'), false, 'no start hook: nothing was promoted');
  assert.equal(r.some((x) => x.name === 'shutdown'), false, 'shutdown_script is not run after an aborting stop');
});
