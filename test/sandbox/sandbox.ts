// `npm run sandbox`: a local cluster a new user can touch in a minute — three MariaDB hosts in network
// namespaces (db1 ⇄ db2 masters, db3 a replica), an authenticated agent per host and the monitor —
// then `mmm-control show` and a short guided tour. `npm run sandbox -- down` removes all of it; a
// second `npm run sandbox` reuses a running sandbox.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRig, ensurePrerequisites, sweepSync, defaultBaseDir, type Rig } from '../rig/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = join(ROOT, '.sandbox');
const STATE = join(DIR, 'sandbox.json');
const CONFIG = join(DIR, 'cluster.yaml');
const PREFIX = 'sbx';
const SUBNET = 0;
const AGENT_BIN = join(ROOT, 'packages/agent/bin/mmm-agent.js');
const MONITOR_BIN = join(ROOT, 'packages/monitor/bin/mmm-monitor.js');
const CONTROL_BIN = join(ROOT, 'packages/monitor/bin/mmm-control.js');

interface SandboxState {
  readonly createdAt: string;
  readonly pids: Record<string, number>;
  readonly hosts: string[];
}

const step = (msg: string): void => { process.stdout.write(`==> ${msg}\n`); };
const fail = (msg: string): never => { process.stderr.write(`sandbox: ${msg}\n`); process.exit(1); };

function alive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

function control(args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [CONTROL_BIN, '--config', CONFIG, ...args], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function readState(): SandboxState | null {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8')) as SandboxState;
  } catch {
    return null;
  }
}

/** Starts a long-lived process detached from this script, its output in a log file. */
function launch(name: string, argv: string[]): number {
  mkdirSync(join(DIR, 'logs'), { recursive: true });
  const fd = openSync(join(DIR, 'logs', `${name}.log`), 'a');
  const [cmd, ...args] = argv;
  if (cmd === undefined) fail(`nothing to launch for ${name}`);
  const child = spawn(cmd as string, args, { detached: true, stdio: ['ignore', fd, fd], cwd: ROOT });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) fail(`could not start ${name}`);
  return child.pid as number;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function down(quiet = false): void {
  const st = readState();
  for (const [name, pid] of Object.entries(st?.pids ?? {})) {
    if (alive(pid)) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
      if (!quiet) step(`stopped ${name} (pid ${pid})`);
    }
  }
  // Agents and the monitor stop within 5 s on SIGTERM; make sure, then remove the rig.
  const deadline = Date.now() + 5_000;
  for (const pid of Object.values(st?.pids ?? {})) {
    while (alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
    if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  const report = sweepSync(PREFIX, defaultBaseDir(PREFIX));
  if (!quiet) step(`removed the rig: ${JSON.stringify(report)}`);
  rmSync(DIR, { recursive: true, force: true });
}

function addressTaken(): string | null {
  for (const [ifname, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && a.address.startsWith(`10.200.${SUBNET}.`) && !ifname.startsWith(PREFIX)) {
        return `${a.address} on ${ifname}`;
      }
    }
  }
  return null;
}

function checkTimings(): string {
  return [
    'checks:',
    '  ping:        { interval: 250ms, trap: 1s, timeout: 400ms }',
    '  mysql:       { interval: 250ms, trap: 1s, timeout: 400ms }',
    '  rep_threads: { interval: 500ms, trap: 2s, timeout: 400ms }',
    '  rep_backlog: { interval: 500ms, trap: 2s, timeout: 400ms, max_backlog: 60s }',
    '',
  ].join('\n');
}

function tour(rig: Rig | null): void {
  const rel = relative(process.cwd(), CONFIG) || CONFIG;
  const show = control(['show']);
  process.stdout.write(`\n$ npx mmm-control --config ${rel} show\n${show.out}\n`);
  // The writer is whichever master came ONLINE first (as in MMM): point the tour at the real one.
  const writer = /^\s*(db\d)\(.*Roles:.*\bwriter\(/m.exec(show.out)?.[1] ?? 'db1';
  const other = writer === 'db1' ? 'db2' : 'db1';
  const w = rig?.host(writer);
  process.stdout.write(`
Try:
  npx mmm-control --config ${rel} move_role writer ${other}     # planned switchover
  npx mmm-control --config ${rel} show
  npx mmm-control --config ${rel} checks
  kill -9 $(cat ${w !== undefined ? join(w.dir, 'mysqld.pid') : `/dev/shm/mmm-rig-sbx/${writer}/mysqld.pid`})   # kill the writer's (${writer}) mysqld; watch 'show'
  npx mmm-control --config ${rel} history                   # what the failover did, step by step
  npm run sandbox -- down                                  # remove everything

Logs: ${relative(process.cwd(), join(DIR, 'logs')) || join(DIR, 'logs')}/ (pino JSON, one file per process)
`);
}

const stateOf = (show: string, host: string): string | null =>
  new RegExp(`^\\s*${host}\\(.*/([A-Z_]+)\\.`, 'm').exec(show)?.[1] ?? null;

/**
 * Waits until the monitor has checked every host, then does what MMM's operators do once after the
 * first start: `set_online` for each host awaiting recovery; then waits until every host is ONLINE.
 */
async function bringOnline(hosts: readonly string[], pids: Record<string, number>): Promise<void> {
  step('waiting for the monitor to check every host');
  const deadline = Date.now() + 60_000;
  const onlineAsked = new Set<string>();
  for (;;) {
    for (const [name, pid] of Object.entries(pids)) {
      if (!alive(pid)) fail(`${name} exited; see ${join(DIR, 'logs', `${name}.log`)}`);
    }
    const s = control(['show']);
    const states = hosts.map((h) => stateOf(s.out, h));
    if (s.code === 0 && states.every((st) => st === 'ONLINE')) return;
    for (const [i, h] of hosts.entries()) {
      if (states[i] === 'AWAITING_RECOVERY' && !onlineAsked.has(h)) {
        const r = control(['set_online', h]);
        step(`first start: ${h} awaits recovery, as in MMM; $ mmm-control set_online ${h} -> ${r.out.trim()}`);
        if (r.code === 0) onlineAsked.add(h);
      }
    }
    if (Date.now() > deadline) {
      fail(`hosts not ONLINE after 60 s; last show:\n${s.out}\nlogs in ${join(DIR, 'logs')}; remove with: npm run sandbox -- down`);
    }
    await sleep(250);
  }
}

async function up(): Promise<void> {
  if (process.getuid?.() !== 0) fail('the sandbox creates network namespaces and starts MariaDB: run it as root (sudo npm run sandbox)');
  for (const bin of [AGENT_BIN, MONITOR_BIN, CONTROL_BIN]) if (!existsSync(bin)) fail(`${bin} is missing: is this the repository root?`);

  const st = readState();
  if (st !== null && Object.values(st.pids).every(alive) && control(['ping']).code === 0) {
    step('a sandbox is already running: reusing it');
    await bringOnline(st.hosts, st.pids);
    tour(null);
    return;
  }
  if (st !== null || existsSync(DIR)) {
    step('removing the remains of an earlier sandbox');
    down(true);
  }
  const taken = addressTaken();
  if (taken !== null) fail(`10.200.${SUBNET}.0/24 is already in use (${taken}); remove it or free that subnet`);

  step('checking system packages (MariaDB, iproute2, arping)');
  const pre = await ensurePrerequisites();
  if (!pre.ok) fail(pre.error);

  step('creating 3 hosts: network namespaces, MariaDB servers, GTID replication db1 <-> db2, db3 <- db1');
  const t0 = Date.now();
  const rig = await createRig({ prefix: PREFIX, subnet: SUBNET, hosts: 3, cleanupOnExit: false });
  step(`hosts up in ${Date.now() - t0} ms`);

  mkdirSync(DIR, { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('base64url');
  const yaml = rig.clusterYaml({ secret, failoverBlock: null }).replace(/status_path: .*/, `status_path: "${join(DIR, 'monitor.status')}"`);
  writeFileSync(CONFIG, `${yaml}\n${checkTimings()}`, { mode: 0o600 });
  const cfgCheck = control(['config-check', CONFIG]);
  if (cfgCheck.code !== 0) fail(`generated config is invalid:\n${cfgCheck.out}`);

  const pids: Record<string, number> = {};
  for (const h of rig.hosts) {
    pids[`agent-${h.name}`] = launch(`agent-${h.name}`, ['ip', 'netns', 'exec', h.ns, process.execPath, AGENT_BIN, '--config', CONFIG, '--host', h.name]);
  }
  step(`agents started on ${rig.hosts.map((h) => `${h.name} (${h.ip})`).join(', ')}`);
  pids['monitor'] = launch('monitor', [process.execPath, MONITOR_BIN, '--config', CONFIG]);
  const state: SandboxState = { createdAt: new Date().toISOString(), pids, hosts: rig.hosts.map((h) => h.name) };
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  step(`monitor started (control on ${rig.bridgeIp}:9988)`);

  await bringOnline(state.hosts, pids);
  step(`sandbox ready in ${Date.now() - t0} ms; config: ${resolve(CONFIG)}`);
  tour(rig);
}

export async function main(argv: string[]): Promise<void> {
  const cmd = argv[0] ?? 'up';
  if (cmd === 'down') {
    if (process.getuid?.() !== 0) fail('run as root: the sandbox removes network namespaces');
    down();
    return;
  }
  if (cmd === 'up') return up();
  fail(`unknown command '${cmd}' (use: npm run sandbox [-- up|down])`);
}
