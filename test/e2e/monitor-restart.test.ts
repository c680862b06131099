// What a restart of the real mmm-monitor process keeps and checks, on one 3-host cluster (prefix mr1,
// 10.200.45.0/24) with master_ip_failover_script configured and failover_block 1h: MHA's `status` call
// at start (a failing script leaves the monitor PASSIVE with the reason, nothing moves; fixed and
// set_active, it is ACTIVE again), and the anti-flapping block restored from the status file's
// `@failover_block` line after SIGTERM and SIGKILL restarts (no second failover until `mmm-control ack`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendControlCommand } from '@mmm-ts/monitor';
import { startCluster, type Cluster } from '../lib/cluster.js';
import { eventually } from '../lib/eventually.js';

let cluster: Cluster | undefined;
const c = (): Cluster => { if (cluster === undefined) throw new Error('no cluster'); return cluster; };
let dir = '';
const calls = (): string => join(dir, 'calls');

// The failover script records each call's argv (one element a line) and MMM_* environment in
// calls/<command>.<ns>.{argv,env}; a file fail-<command> makes it exit 1.
const SCRIPT = (): string => `#!/bin/bash
cmd=none
for a in "$@"; do case "$a" in --command=*) cmd="\${a#--command=}";; esac; done
n=$(date +%s%N)
printf '%s\\n' "$@" > "${dir}/calls/$cmd.$n.argv"
env | grep '^MMM_' | sort > "${dir}/calls/$cmd.$n.env"
[ -e "${dir}/fail-$cmd" ] && { echo "refusing $cmd" >&2; exit 1; }
exit 0
`;

interface Call { readonly command: string; readonly argv: string[]; readonly env: Record<string, string> }

async function recorded(): Promise<Call[]> {
  const files = (await readdir(calls())).filter((f) => f.endsWith('.argv')).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return Promise.all(files.map(async (f) => {
    const argv = (await readFile(join(calls(), f), 'utf8')).replace(/\n$/, '').split('\n');
    const envText = await readFile(join(calls(), f.replace(/\.argv$/, '.env')), 'utf8').catch(() => '');
    const env: Record<string, string> = {};
    for (const line of envText.split('\n')) { const i = line.indexOf('='); if (i > 0) env[line.slice(0, i)] = line.slice(i + 1); }
    return { command: f.split('.')[0] ?? '', argv, env };
  }));
}

async function clearCalls(): Promise<void> {
  await rm(calls(), { recursive: true, force: true });
  await mkdir(calls(), { recursive: true });
}

const ip = (host: string): string => c().rig.host(host).ip;
const statusArgv = (host: string): string[] =>
  ['--command=status', '--ssh_user=root', `--orig_master_host=${host}`, `--orig_master_ip=${ip(host)}`, '--orig_master_port=3306'];

async function readOnly(host: string): Promise<string> {
  return String((await c().rig.sql(host, 'SELECT @@read_only AS ro'))[0]?.['ro']);
}

interface ShowJson {
  readonly mode: string;
  readonly passiveReason: string | null;
  readonly activeMaster: string | null;
  readonly failoverBlock: { readonly kind: string; readonly at: number } | null;
  readonly outcome: { readonly code: string; readonly sentence: string; readonly block?: string };
}

/** `mmm-control --json show`, as a user scripts it. */
async function showJson(): Promise<ShowJson> {
  const r = await sendControlCommand({ host: c().rig.bridgeIp, port: 9988, words: ['show'], json: true, replyTimeoutMs: 5_000 });
  if (!r.ok) throw new Error(r.error.message);
  return JSON.parse(r.value) as ShowJson;
}

const statusFile = (): Promise<string> => readFile(join(c().rig.baseDir, 'mmm.status'), 'utf8');

async function bringBack(host: string): Promise<void> {
  await c().rig.startMysqld(host);
  await eventually(() => c().show(), (s) => s[host]?.state === 'AWAITING_RECOVERY' || s[host]?.state === 'ONLINE', { timeoutMs: 30_000, intervalMs: 200 });
  if ((await c().show())[host]?.state !== 'ONLINE') await c().monitor.control(`set_online ${host}`, 10_000);
  await eventually(() => c().show(), (s) => s[host]?.state === 'ONLINE', { timeoutMs: 30_000, intervalMs: 200 });
}

before(async () => {
  dir = `/tmp/mr1-restart-${process.pid}`;
  await mkdir(calls(), { recursive: true });
  await writeFile(join(dir, 'mipf.sh'), SCRIPT());
  await chmod(join(dir, 'mipf.sh'), 0o755);
  cluster = await startCluster({
    prefix: 'mr1', subnet: 45, failoverBlock: '1h',
    // MHA's form (a bare path): on_failure default, so the status check aborts on failure.
    extraYaml: ['hooks:', `  master_ip_failover_script: ${dir}/mipf.sh`].join('\n'),
  });
});

after(async () => {
  await cluster?.destroy();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

test('a failing `--command=status` at monitor start: PASSIVE with the reason, MHA\'s status arguments, nothing moves; fixed + set_active: ACTIVE', async () => {
  assert.equal(await c().monitor.control('mode', 5_000), 'ACTIVE');
  await clearCalls();
  await writeFile(join(dir, 'fail-status'), '');
  await c().restartMonitor();

  const r = await recorded();
  assert.deepEqual(r.map((x) => x.command), ['status'], 'exactly one status call at start, nothing else');
  assert.deepEqual(r[0]?.argv, statusArgv('db1'));
  assert.equal(r[0]?.env['MMM_HOOK'], 'master_ip_failover_script');
  assert.equal(r[0]?.env['MMM_HOOK_COMMAND'], 'status');

  const reason = 'Hook status check failed: master_ip_failover_script --command=status exited 1; aborting (the default for this phase). Fix the script, then set_active.';
  assert.equal(await c().monitor.control('mode', 5_000), 'PASSIVE');
  const show = await c().monitor.control('show', 5_000);
  assert.match(show, /^# --- Monitor is in PASSIVE MODE ---\n/);
  assert.ok(show.includes(`# Cause: ${reason}\n`), show);
  const j = await showJson();
  assert.equal(j.mode, 'PASSIVE');
  assert.equal(j.passiveReason, reason);
  assert.equal(j.activeMaster, 'db1');
  assert.equal(j.outcome.code, 'PASSIVE_MODE');
  const started = c().monitor.logs().find((l) => l['event'] === 'monitor.started');
  assert.equal(started?.['mode'], 'PASSIVE');
  assert.ok(c().monitor.logs().some((l) => l['event'] === 'startup.hook_status_failed' && l['code'] === 'HOOK_FAILED_ABORT'));

  // Nothing moves while PASSIVE, also past the writer lease (3 s): db1 keeps the role and its writes.
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    assert.equal(await c().writer(), 'db1');
    assert.equal(await readOnly('db1'), '0', 'db1 stays writable');
    assert.equal(await readOnly('db2'), '1', 'db2 stays read-only');
    await sleep(500);
  }
  await c().rig.sql('db1', 'CREATE TABLE IF NOT EXISTS app.mr1 (id INT PRIMARY KEY)', [], { as: c().rig.users.app });
  await c().rig.sql('db1', 'REPLACE INTO app.mr1 VALUES (1)', [], { as: c().rig.users.app });
  assert.deepEqual((await recorded()).map((x) => x.command), ['status'], 'no stop/start hook ran');

  // Fixed script, then what the reason says.
  await rm(join(dir, 'fail-status'));
  assert.match(await c().monitor.control('set_active', 10_000), /^OK/);
  assert.equal(await c().monitor.control('mode', 5_000), 'ACTIVE');
  assert.doesNotMatch(await c().monitor.control('show', 5_000), /PASSIVE MODE|# Cause:/);
  await c().waitWriter('db1');
  assert.equal(await readOnly('db2'), '1');

  // And a restart with the fixed script starts ACTIVE, after a passing status call.
  await clearCalls();
  await c().restartMonitor();
  assert.equal(await c().monitor.control('mode', 5_000), 'ACTIVE');
  assert.equal((await showJson()).passiveReason, null);
  assert.deepEqual((await recorded()).map((x) => x.argv), [statusArgv('db1')]);
  await c().waitWriter('db1');
});

test('the failover block survives SIGTERM and SIGKILL restarts: no second failover until `mmm-control ack`', async (t) => {
  await c().rig.killMysqld('db1');
  await c().waitWriter('db2', 30_000);
  await eventually(() => c().monitor.control('history 1', 5_000), (h) => /failover .*: db1 -> db2, promoted/.test(h.split('\n')[0] ?? ''), { timeoutMs: 10_000, intervalMs: 200 });
  const fileText = await eventually(statusFile, (s) => /^@failover_block\|/m.test(s), { timeoutMs: 10_000, intervalMs: 100 });
  const m = /^@failover_block\|UNKNOWN\|failover\((\d+)\)$/m.exec(fileText);
  assert.ok(m?.[1] !== undefined, fileText);
  const at = Number(m[1]);
  const atIso = new Date(at).toISOString();
  const untilIso = new Date(at + 3_600_000).toISOString();
  const blockLine = `# Failover block: automatic failover blocked until ${untilIso} after the failover at ${atIso}: run \`mmm-control ack\` to allow one\n`;
  assert.ok((await c().monitor.control('show', 5_000)).includes(blockLine));

  await bringBack('db1');
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    await clearCalls();
    await c().restartMonitor(signal);
    assert.equal(await c().monitor.control('mode', 5_000), 'ACTIVE', `mode after ${signal}`);
    assert.ok(c().monitor.logs().some((l) => l['event'] === 'startup.failover_block'), `block restored after ${signal}`);
    assert.deepEqual((await showJson()).failoverBlock, { kind: 'failover', at }, `block after ${signal}`);
    const show = await c().monitor.control('show', 5_000);
    assert.ok(show.includes(blockLine), `show after ${signal}:\n${show}`);
    assert.deepEqual((await recorded()).map((x) => x.argv), [statusArgv('db2')], `status call after ${signal} names the writer db2`);
    await c().waitWriter('db2');
    assert.match(await statusFile(), new RegExp(`^@failover_block\\|UNKNOWN\\|failover\\(${at}\\)$`, 'm'));
  }
  await eventually(() => c().show(), (s) => s['db1']?.state === 'ONLINE' && s['db3']?.state === 'ONLINE', { timeoutMs: 20_000, intervalMs: 200 });

  await clearCalls();
  await c().rig.killMysqld('db2');
  const show = await eventually(() => c().monitor.control('show', 5_000), (s) => s.includes('FAILOVER_BLOCKED'), { timeoutMs: 30_000, intervalMs: 200 });
  t.diagnostic(show.split('\n').filter((l) => l.startsWith('#')).join(' | '));
  assert.ok(show.includes(`automatic failover blocked until ${untilIso} after the failover at ${atIso}: run \`mmm-control ack\` to allow one`), show);
  assert.match(show, /^# Status: FAILOVER_BLOCKED: writer db2 lost the writer role \(\w+\) but automatic failover blocked/m);
  assert.equal((await showJson()).outcome.block, 'RECENT_FAILOVER');
  // Still blocked a while later: nobody holds the writer role, db1 stays read-only, no hook ran.
  await sleep(3_000);
  assert.equal(await c().writer(), '');
  assert.equal(await readOnly('db1'), '1', 'db1 was not promoted');
  assert.match(await c().monitor.control('show', 5_000), /# Status: FAILOVER_BLOCKED/);
  assert.deepEqual(await recorded(), [], 'no hook ran for the blocked failover');
  assert.match((await c().monitor.control('history 1', 5_000)).split('\n')[0] ?? '', /failover .*: db1 -> db2, promoted/, 'no new record');

  assert.equal(await c().monitor.control('ack', 10_000), `OK: Acknowledged the failover at ${atIso}: the next automatic failover may run.`);
  await c().waitWriter('db1', 30_000);
  assert.deepEqual((await recorded()).map((x) => x.command).filter((x) => x === 'start'), ['start']);
  assert.match((await c().monitor.control('history 1', 5_000)).split('\n')[0] ?? '', /failover .*: db2 -> db1, promoted/);
});
