// The invariant every fault scenario checks: never two writable hosts holding the writer VIP in the
// same sample. Every 10 ms it takes each host's @@read_only (persistent connections over the unix
// socket, so a cut link does not blind it) and who holds the VIP (a streaming `ip monitor address`
// per namespace, so no process is spawned per sample).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import type { Rig } from '../rig/index.js';

export interface SamplerSummary {
  readonly samples: number;
  /** Samples in which two or more hosts were writable and held the VIP. */
  readonly splitBrainSamples: number;
  /** Samples in which no host was both writable and holding the VIP (writes impossible). */
  readonly noWriterSamples: number;
  /** The hosts seen as writable VIP holders in the first split-brain sample, if any. */
  readonly firstSplitBrain: { readonly t: number; readonly hosts: string[] } | null;
  /** Per host: samples in which its read_only could not be read fresh (dead, hung or cut off). */
  readonly unknownReadOnly: Readonly<Record<string, number>>;
  /** Every change of the set of writable VIP holders: when (ms) and who. */
  readonly writerChanges: readonly { readonly t: number; readonly hosts: string[] }[];
}

export interface SplitBrainSampler {
  /** Hosts that are writable and hold the VIP right now (latest fresh values). */
  writers(): string[];
  stop(): Promise<SamplerSummary>;
}

const SAMPLE_MS = 10;
const FRESH_MS = 100;
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) if (c.pid !== undefined) spawnSync('kill', ['-9', String(c.pid)]); });

interface HostProbe { readOnly: boolean | null; at: number; vip: boolean }

export async function startSplitBrainSampler(rig: Rig, vip: string = rig.writerVip): Promise<SplitBrainSampler> {
  const probes = new Map<string, HostProbe>();
  const monitors: ChildProcess[] = [];
  let stopping = false;
  const loops: Promise<void>[] = [];

  for (const h of rig.hosts) {
    const p: HostProbe = { readOnly: null, at: 0, vip: false };
    probes.set(h.name, p);
    // Address events first, then the initial listing, so no change falls between the two.
    const mon = spawn('ip', ['-n', h.ns, 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
    live.add(mon);
    monitors.push(mon);
    if (mon.stdout !== null) {
      createInterface({ input: mon.stdout }).on('line', (line) => {
        const m = /^(Deleted )?\d+:\s+\S+\s+inet ([0-9.]+)\//.exec(line);
        if (m !== null && m[2] === vip) p.vip = m[1] === undefined;
      });
    }
    p.vip = await rig.hasVip(h.name, vip);

    loops.push((async () => {
      let conn: mysql.Connection | null = null;
      while (!stopping) {
        const started = Date.now();
        try {
          conn ??= await mysql.createConnection({ socketPath: h.socket, user: rig.users.admin.user, password: rig.users.admin.password, connectTimeout: 200 });
          const [rows] = await conn.query({ sql: 'SELECT @@read_only AS ro', timeout: 200 });
          p.readOnly = Number((rows as Array<{ ro: number }>)[0]?.ro) === 1;
          p.at = Date.now();
        } catch {
          conn?.destroy();
          conn = null;
        }
        const wait = SAMPLE_MS - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      conn?.destroy();
    })());
  }

  let samples = 0;
  let splitBrainSamples = 0;
  let noWriterSamples = 0;
  let firstSplitBrain: SamplerSummary['firstSplitBrain'] = null;
  const writerChanges: { t: number; hosts: string[] }[] = [];
  const unknownReadOnly: Record<string, number> = Object.fromEntries(rig.hosts.map((h) => [h.name, 0]));
  const writers = (now: number): string[] => [...probes.entries()]
    .filter(([, p]) => p.vip && p.readOnly === false && now - p.at <= FRESH_MS)
    .map(([name]) => name);
  const timer = setInterval(() => {
    const now = Date.now();
    samples++;
    for (const [name, p] of probes) if (now - p.at > FRESH_MS) unknownReadOnly[name] = (unknownReadOnly[name] ?? 0) + 1;
    const w = writers(now);
    if (w.length >= 2) {
      splitBrainSamples++;
      firstSplitBrain ??= { t: now, hosts: w };
    }
    if (w.length === 0) noWriterSamples++;
    if (writerChanges.at(-1)?.hosts.join() !== w.join()) writerChanges.push({ t: now, hosts: w });
  }, SAMPLE_MS);

  return {
    writers: () => writers(Date.now()),
    async stop() {
      clearInterval(timer);
      stopping = true;
      await Promise.all(loops);
      for (const m of monitors) { m.kill('SIGKILL'); live.delete(m); }
      return { samples, splitBrainSamples, noWriterSamples, firstSplitBrain, unknownReadOnly, writerChanges };
    },
  };
}
