// The Rig object: a running multi-host MariaDB cluster on network namespaces, and the fault
// injection and inspection methods tests use on it. createRig builds one, attachRig binds to one
// another process built (from its rig.json).
import { readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registerForCleanup, sweepSync, unregister } from './cleanup.js';
import { renderClusterYaml } from './cluster-yaml.js';
import { RigError } from './errors.js';
import { copyTemplate, query, readPidFile, spawnServer, waitReady } from './mariadb.js';
import { addAddress, announce, buildNetwork, delAddress, hasAddress, macOf, setLink } from './net.js';
import { ensurePrerequisites } from './prereq.js';
import { isAlive, run, signal, waitGone } from './proc.js';
import { waitIdle, waitThreadsRunning, wireReplication } from './replication.js';
import { readState, stateOf, writeState } from './state.js';
import { ensureTemplate } from './template.js';
import { defaultBaseDir, planRig, type HostPlan, type RigPlan } from './topology.js';
import { RIG_USERS } from './users.js';
import type { ClusterYamlOptions, ExecOptions, ExecResult, Rig, RigHost, RigOptions, SqlOptions, SqlRow } from './types.js';

class RigImpl implements Rig {
  readonly prefix: string;
  readonly subnet: number;
  readonly baseDir: string;
  readonly hosts: readonly RigHost[];
  readonly bridge: string;
  readonly bridgeIp: string;
  readonly clientNs: string;
  readonly clientIp: string;
  readonly writerVip: string;
  readonly readerVips: readonly string[];
  readonly users = RIG_USERS;
  readonly stateFile: string;
  private readonly pids = new Map<string, number>();
  private destroyed = false;

  constructor(
    readonly plan: RigPlan,
    private readonly log: (msg: string) => void,
    private readonly createdAt: string,
  ) {
    this.prefix = plan.prefix;
    this.subnet = plan.subnet;
    this.baseDir = plan.baseDir;
    this.bridge = plan.bridge;
    this.bridgeIp = plan.bridgeIp;
    this.clientNs = plan.clientNs;
    this.clientIp = plan.clientIp;
    this.writerVip = plan.writerVip;
    this.readerVips = plan.readerVips;
    this.stateFile = plan.stateFile;
    this.hosts = plan.hosts.map((h) => ({
      name: h.name, ip: h.ip, ns: h.ns, veth: h.veth, mode: h.mode, peer: h.peer, source: h.source,
      serverId: h.serverId, socket: h.socket, datadir: h.datadir, dir: h.dir, errorLog: h.errorLog,
      mysqlPort: 3306 as const,
      pid: () => this.pidOf(h),
    }));
  }

  /** The tracked PID if alive; else a live server named in the pid file (restarted by another process). */
  private pidOf(h: HostPlan): number | null {
    const known = this.pids.get(h.name);
    if (known !== undefined && isAlive(known) && cmdlineHas(known, h.datadir)) return known;
    const fromFile = readPidFile(h);
    if (fromFile !== null && fromFile !== known && isAlive(fromFile) && cmdlineHas(fromFile, h.datadir)) {
      this.pids.set(h.name, fromFile);
      return fromFile;
    }
    return null;
  }

  private planOf(name: string): HostPlan {
    this.check();
    const h = this.plan.hosts.find((x) => x.name === name);
    if (h === undefined) throw new RigError('RIG_UNKNOWN_HOST', `no host ${JSON.stringify(name)} in rig ${this.prefix} (${this.plan.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  private check(): void {
    if (this.destroyed) throw new RigError('RIG_DESTROYED', `rig ${this.prefix} was destroyed`);
  }

  host(name: string): RigHost {
    const p = this.planOf(name);
    return this.hosts[p.index - 1] as RigHost;
  }

  trackPid(name: string, pid: number): void {
    this.pids.set(name, pid);
  }

  allPids(): number[] {
    return [...this.pids.values()];
  }

  async sql(host: string, sql: string, params: readonly unknown[] = [], opts: SqlOptions = {}): Promise<SqlRow[]> {
    const h = this.planOf(host);
    const to = opts.via === 'tcp' ? { host: h.ip, port: 3306 } : { socketPath: h.socket };
    return query(to, opts.as ?? this.users.admin, sql, params, opts.timeoutMs ?? 5000, opts.database);
  }

  async exec(host: string, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return run(['ip', 'netns', 'exec', this.planOf(host).ns, ...argv], opts);
  }

  async execClient(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.check();
    return run(['ip', 'netns', 'exec', this.clientNs, ...argv], opts);
  }

  async killMysqld(host: string, sig: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const h = this.planOf(host);
    const pid = this.pidOf(h);
    if (pid === null) return;
    signal(pid, sig);
    if (sig === 'SIGTERM') signal(pid, 'SIGCONT'); // a stopped server cannot shut down
    const left = await waitGone([pid], sig === 'SIGKILL' ? 5000 : 60_000);
    if (left.length > 0) throw new RigError('RIG_MYSQLD_STOP_TIMEOUT', `${host}: mariadbd (pid ${pid}) still alive after ${sig}`);
    this.pids.delete(h.name);
    this.log(`${host}: mariadbd ${pid} stopped by ${sig}`);
  }

  async stopMysqld(host: string): Promise<void> {
    const pid = this.pidOf(this.planOf(host));
    if (pid !== null) signal(pid, 'SIGSTOP');
    return Promise.resolve();
  }

  async contMysqld(host: string): Promise<void> {
    const pid = this.pidOf(this.planOf(host));
    if (pid !== null) signal(pid, 'SIGCONT');
    return Promise.resolve();
  }

  async startMysqld(host: string): Promise<void> {
    const h = this.planOf(host);
    const running = this.pidOf(h);
    if (running !== null) {
      await waitReady(h, running, this.users.admin);
      return;
    }
    const started = Date.now();
    const pid = await spawnServer(h);
    this.pids.set(h.name, pid);
    await waitReady(h, pid, this.users.admin);
    await this.saveState();
    this.log(`${host}: mariadbd ${pid} answering after ${Date.now() - started} ms`);
  }

  async linkDown(host: string): Promise<void> {
    await setLink(this.planOf(host).ns, false);
  }

  async linkUp(host: string): Promise<void> {
    await setLink(this.planOf(host).ns, true);
  }

  async addVip(host: string, ip: string): Promise<void> {
    await addAddress(this.planOf(host).ns, ip);
  }

  async delVip(host: string, ip: string): Promise<void> {
    await delAddress(this.planOf(host).ns, ip);
  }

  async hasVip(host: string, ip: string): Promise<boolean> {
    return hasAddress(this.planOf(host).ns, ip);
  }

  announceVip(host: string, ip: string): void {
    announce(this.planOf(host).ns, ip);
  }

  async mac(host: string): Promise<string> {
    return macOf(this.planOf(host).ns);
  }

  async waitReplicationIdle(timeoutMs = 10_000): Promise<void> {
    this.check();
    await waitIdle(this.plan.hosts, (name, sql, params) => this.sql(name, sql, params), timeoutMs);
  }

  clusterYaml(overrides: ClusterYamlOptions = {}): string {
    return renderClusterYaml(this.plan, this.users, overrides);
  }

  async writeClusterYaml(overrides: ClusterYamlOptions = {}): Promise<string> {
    this.check();
    const file = join(this.baseDir, 'mmm.yaml');
    await writeFile(file, this.clusterYaml(overrides), { mode: 0o600 });
    await chmod(file, 0o600);
    return file;
  }

  async saveState(): Promise<void> {
    await writeState(this.plan, stateOf(this.plan, (name) => this.pidOf(this.planOf(name)), this.createdAt));
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const started = Date.now();
    const pids = this.plan.hosts.map((h) => this.pidOf(h)).filter((p): p is number => p !== null);
    for (const pid of pids) signal(pid, 'SIGKILL');
    await waitGone(pids, 5000);
    const report = sweepSync(this.prefix, this.baseDir, pids);
    unregister(this.prefix);
    this.log(`rig ${this.prefix} destroyed in ${Date.now() - started} ms (${report.namespaces.length} namespaces, ${report.links.length} links)`);
  }
}

function cmdlineHas(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}

/**
 * Builds a rig: sweeps leftovers of the same prefix, creates the network, copies the cached template
 * datadir per host, starts the servers, wires GTID replication and checks every replication thread
 * runs. Throws RigError (after cleaning up) when anything fails.
 */
export async function createRig(opts: RigOptions): Promise<Rig> {
  const plan = planRig(opts);
  const log = opts.log ?? ((): void => undefined);
  const t0 = Date.now();
  const lap = (what: string): void => log(`${what} at +${Date.now() - t0} ms`);
  const pre = await ensurePrerequisites();
  if (!pre.ok) throw new RigError('RIG_PREREQUISITES', pre.error);
  const swept = sweepSync(plan.prefix, plan.baseDir);
  if (swept.killed.length + swept.namespaces.length + swept.links.length > 0) {
    log(`swept leftovers of ${plan.prefix}: ${swept.killed.length} processes, ${swept.namespaces.length} namespaces, ${swept.links.length} links`);
  }
  const rig = new RigImpl(plan, log, new Date().toISOString());
  if (opts.cleanupOnExit !== false) registerForCleanup(plan.prefix, plan.baseDir, () => rig.allPids());
  try {
    await mkdir(plan.baseDir, { recursive: true, mode: 0o700 });
    // Datadirs do not need the network: copy them while it is being built.
    const copies = async (): Promise<void> => {
      const template = await ensureTemplate(log);
      await Promise.all(plan.hosts.map((h) => copyTemplate(template, h)));
      lap('datadirs copied');
    };
    await Promise.all([copies(), buildNetwork(plan).then(() => lap('network built'))]);
    await Promise.all(
      plan.hosts.map(async (h) => {
        const pid = await spawnServer(h);
        rig.trackPid(h.name, pid);
        await waitReady(h, pid, RIG_USERS.admin);
      }),
    );
    lap('servers answering');
    const sql = (name: string, q: string, params?: readonly unknown[]): Promise<SqlRow[]> => rig.sql(name, q, params);
    await wireReplication(plan.hosts, RIG_USERS.replication, sql);
    await waitThreadsRunning(plan.hosts, sql, 15_000);
    lap('replication running');
    await rig.saveState();
    log(`rig ${plan.prefix} up: ${plan.hosts.length} hosts on 10.200.${plan.subnet}.0/24 in ${Date.now() - t0} ms`);
    return rig;
  } catch (e) {
    await rig.destroy();
    throw e;
  }
}

/**
 * Binds to a rig that another process created (e.g. `rig up`), from its rig.json. The attached rig is
 * not cleaned up when this process exits; destroy() still removes it.
 */
export function attachRig(prefix: string, opts: { baseDir?: string; log?: (msg: string) => void } = {}): Rig {
  const baseDir = opts.baseDir ?? defaultBaseDir(prefix);
  const state = readState(join(baseDir, 'rig.json'));
  if (state === null) throw new RigError('RIG_NOT_FOUND', `no rig.json in ${baseDir}: is rig ${prefix} up?`);
  const plan = planRig({ prefix: state.prefix, subnet: state.subnet, hosts: state.hostCount, baseDir: state.baseDir });
  const rig = new RigImpl(plan, opts.log ?? ((): void => undefined), state.createdAt);
  for (const h of state.hosts) if (h.pid !== null) rig.trackPid(h.name, h.pid);
  return rig;
}
