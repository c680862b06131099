// Monitor cost at scale: one real mmm-monitor watching N simulated hosts (simulated agents and
// simulated MariaDB endpoints on distinct loopback addresses 127.1.x.y) with every check at 1 s;
// its CPU and RSS after it settles, plus what the simulators saw, so the load is proven, not assumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendControlCommand } from '@mmm-ts/monitor';
import type { Role } from '@mmm-ts/protocol';
import { measureProcs, type ProcCost } from './proc-stats.js';
import { startSimAgent, type SimAgent } from './sim-agent.js';
import { startSimMysql, type SimMysql } from './sim-mysql.js';

const MONITOR_BIN = fileURLToPath(new URL('../../../../packages/monitor/bin/mmm-monitor.js', import.meta.url));
const CONTROL_PORT = 19960;
const AGENT_PORT = 19989;
const MYSQL_PORT = 13306;
const SECRET = 'bench-scale-secret-0123456789abcdef';

export interface ScaleResult {
  readonly hosts: number;
  readonly completed: boolean;
  readonly error?: string;
  readonly checkIntervalMs: number;
  /** Hosts the monitor showed ONLINE when the window started (all of them when the simulation works). */
  readonly hostsOnline: number;
  readonly startupMs: number | null;
  readonly windowMs: number;
  readonly monitor: ProcCost | null;
  /** Requests the simulators answered per second during the window. */
  readonly ratesPerS: {
    readonly mysqlSelect1: number;
    readonly replicaStatus: number;
    readonly deathWatchSleeps: number;
    readonly agentRequests: number;
    readonly agentByCommand: Record<string, number>;
  };
  /** CPU of the benchmark process hosting every simulator during the window (% of one core). */
  readonly simulatorCpuPct: number;
  readonly mysqlSimulated: true;
}

export interface ScaleOptions {
  readonly settleMs: number;
  readonly windowMs: number;
  readonly log: (line: string) => void;
}

const ip = (net: number, i: number): string => `127.${net}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The cluster config for `n` simulated hosts: db1/db2 masters, the rest slaves of db1, 1 s checks. */
export function scaleConfig(n: number, dir: string): string {
  const names = Array.from({ length: n }, (_, i) => `db${i + 1}`);
  const s = JSON.stringify;
  return [
    `cluster: ${s(`bench${n}`)}`,
    'active_master_role: writer',
    'monitor:',
    '  ip: "127.0.0.1"',
    `  port: ${CONTROL_PORT}`,
    `  status_path: ${s(join(dir, 'mmm.status'))}`,
    '  ping_ips: []',
    'host_defaults:',
    `  agent_port: ${AGENT_PORT}`,
    `  mysql_port: ${MYSQL_PORT}`,
    '  interface: lo',
    '  agent_user: "mmm_agent"', '  agent_password: "x"',
    '  monitor_user: "mmm_monitor"', '  monitor_password: "x"',
    '  replication_user: "repl"', '  replication_password: "x"',
    'hosts:',
    ...names.map((h, i) => i === 0 ? `  ${h}: { ip: ${s(ip(1, i))}, mode: master, peer: db2 }`
      : i === 1 ? `  ${h}: { ip: ${s(ip(1, i))}, mode: master, peer: db1 }`
        : `  ${h}: { ip: ${s(ip(1, i))}, mode: slave }`),
    'roles:',
    `  writer: { mode: exclusive, hosts: [db1, db2], ips: [${s(ip(2, 0))}], prefer: db1 }`,
    `  reader: { mode: balanced, hosts: [${names.join(', ')}], ips: [${names.map((_, i) => s(ip(2, i + 1))).join(', ')}] }`,
    'checks:',
    '  ping:        { interval: 1s, trap: 2s, timeout: 500ms }',
    '  mysql:       { interval: 1s, trap: 2s, timeout: 500ms }',
    '  rep_threads: { interval: 1s, trap: 2s, timeout: 500ms }',
    '  rep_backlog: { interval: 1s, trap: 2s, timeout: 500ms, max_backlog: 60s }',
    'security:',
    `  secret: ${s(SECRET)}`,
    '',
  ].join('\n');
}

const SHOW_RE = /^\s*(\S+)\(([0-9.]+)\) (\w+)\/([A-Z_]+)\./;

async function onlineCount(): Promise<number | null> {
  const r = await sendControlCommand({ host: '127.0.0.1', port: CONTROL_PORT, words: ['show'], json: false, replyTimeoutMs: 5_000 });
  if (!r.ok) return null;
  return r.value.split('\n').filter((l) => SHOW_RE.exec(l)?.[4] === 'ONLINE').length;
}

const sumCounts = (maps: readonly Map<string, number>[], key?: string): number =>
  maps.reduce((a, m) => a + (key === undefined ? [...m.values()].reduce((x, y) => x + y, 0) : (m.get(key) ?? 0)), 0);

/** Runs the monitor against `n` simulated hosts and measures it; never throws. */
export async function benchScale(n: number, o: ScaleOptions): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), `mmm-bench-scale-${n}-`));
  const agents: SimAgent[] = [];
  const servers: SimMysql[] = [];
  let child: ChildProcess | null = null;
  const base = { hosts: n, checkIntervalMs: 1_000, windowMs: o.windowMs, mysqlSimulated: true as const };
  const empty = { mysqlSelect1: 0, replicaStatus: 0, deathWatchSleeps: 0, agentRequests: 0, agentByCommand: {} };
  try {
    const writerRole: Role = { name: 'writer', ip: ip(2, 0) };
    for (let i = 0; i < n; i++) {
      const sourceIp = i === 0 ? ip(1, 1) : ip(1, 0);
      servers.push(await startSimMysql({ ip: ip(1, i), port: MYSQL_PORT, serverId: i + 1, sourceIp }));
      agents.push(await startSimAgent({
        host: `db${i + 1}`, ip: ip(1, i), port: AGENT_PORT, secret: SECRET, state: 'ONLINE',
        roles: i === 0 ? [writerRole] : [], writable: i === 0, masterIp: sourceIp,
      }));
    }
    const configPath = join(dir, 'cluster.yaml');
    writeFileSync(configPath, scaleConfig(n, dir), { mode: 0o600 });
    const logFile = join(dir, 'monitor.log');
    const out = createWriteStream(logFile);
    const t0 = Date.now();
    child = spawn(process.execPath, [MONITOR_BIN, '--config', configPath, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    let online: number | null = null;
    let startupMs: number | null = null;
    while (Date.now() - t0 < 60_000) {
      if (child.exitCode !== null) throw new Error(`mmm-monitor exited ${child.exitCode}: ${readFileSync(logFile, 'utf8').slice(-500)}`);
      online = await onlineCount().catch(() => null);
      if (online === n) { startupMs = Date.now() - t0; break; }
      await sleep(250);
    }
    o.log(`  ${n} hosts: ${online ?? 0} ONLINE after ${startupMs ?? Date.now() - t0} ms; settling ${o.settleMs} ms`);
    await sleep(o.settleMs);
    online = await onlineCount().catch(() => null);
    const before = { sel: sumCounts(servers.map((s) => s.counts), 'select1'), rep: sumCounts(servers.map((s) => s.counts), 'replica_status'),
      sleep: sumCounts(servers.map((s) => s.counts), 'sleep'), agent: sumCounts(agents.map((a) => a.counts)),
      byCmd: new Map<string, number>() };
    for (const a of agents) for (const [k, v] of a.counts) before.byCmd.set(k, (before.byCmd.get(k) ?? 0) + v);
    const cpu0 = process.cpuUsage();
    const w0 = Date.now();
    const pid = child.pid;
    if (pid === undefined) throw new Error('mmm-monitor has no pid');
    const cost = (await measureProcs({ monitor: pid }, o.windowMs))['monitor'] ?? null;
    const secs = (Date.now() - w0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const rate = (v: number): number => Math.round((v / secs) * 10) / 10;
    const byCmd: Record<string, number> = {};
    for (const a of agents) for (const [k, v] of a.counts) byCmd[k] = (byCmd[k] ?? 0) + v;
    for (const k of Object.keys(byCmd)) byCmd[k] = rate((byCmd[k] ?? 0) - (before.byCmd.get(k) ?? 0));
    return {
      ...base, completed: cost !== null, ...(cost === null ? { error: 'mmm-monitor exited during the window' } : {}),
      hostsOnline: online ?? 0, startupMs, monitor: cost,
      ratesPerS: {
        mysqlSelect1: rate(sumCounts(servers.map((s) => s.counts), 'select1') - before.sel),
        replicaStatus: rate(sumCounts(servers.map((s) => s.counts), 'replica_status') - before.rep),
        deathWatchSleeps: rate(sumCounts(servers.map((s) => s.counts), 'sleep') - before.sleep),
        agentRequests: rate(sumCounts(agents.map((a) => a.counts)) - before.agent),
        agentByCommand: byCmd,
      },
      simulatorCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 1000) / 10,
    };
  } catch (e) {
    return { ...base, completed: false, error: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e), hostsOnline: 0, startupMs: null, monitor: null, ratesPerS: empty, simulatorCpuPct: 0 };
  } finally {
    if (child !== null && child.exitCode === null) {
      const c = child;
      const gone = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGKILL');
      await gone;
    }
    await Promise.all([...agents.map((a) => a.server.close()), ...servers.map((s) => s.close())]);
    rmSync(dir, { recursive: true, force: true });
  }
}
