// The benchmark's outputs: the machine description, the targets it is compared with, and the text
// tables printed at the end (the JSON itself is documented in bench/README.md).
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import type { FaultBench } from './faults.js';
import type { SteadyResult } from './steady.js';
import type { ScaleResult } from './scale.js';

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly mariadb: string;
  readonly memMiB: number;
}

/** What the numbers were measured on. */
export function describeMachine(): Machine {
  const r = spawnSync('mariadbd', ['--version'], { encoding: 'utf8' });
  const m = /Ver (\S+)/.exec(r.stdout ?? '');
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    node: process.version,
    mariadb: m?.[1] ?? 'unknown',
    memMiB: Math.round(totalmem() / 1048576),
  };
}

/** Issue 6's targets (reported next to the measurements, never asserted). */
export const TARGETS = {
  recoveryMedianMs: { kill: 1_000, hang: 3_000, linkdown: 5_000 },
  switchoverWindowMs: 250,
  lostWrites: 0,
  splitBrainSamples: 0,
} as const;

/** What the original MySQL-MMM measured on the same kind of rig (default settings; fastest in brackets). */
export const MMM_REFERENCE = {
  killMedianMs: 14_600, killFastestSettingsMs: 3_500,
  linkdownMs: 32_000, linkdownFastestSettingsMs: 20_000, linkdownNote: 'ended with two writers',
  switchoverWindowMs: 660, switchoverHardModeMs: 240,
} as const;

const ms = (v: number | null): string => (v === null ? '-' : String(v));
const table = (rows: string[][]): string => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};

/** The fault table: one row per scenario. */
export function faultTable(faults: readonly FaultBench[]): string {
  const target = (f: string): string => {
    if (f === 'switchover') return `window ≤ ${TARGETS.switchoverWindowMs}`;
    const t = (TARGETS.recoveryMedianMs as Record<string, number>)[f];
    return t === undefined ? '' : `≤ ${t}`;
  };
  const rows = [['scenario', 'runs', 'recovered', 'median ms', 'max ms', 'window med/max ms', 'outage med/max ms', 'writer ready med ms', 'client errors', 'lost', 'dup', 'split-brain', 'not converged', 'target (median)']];
  for (const f of faults) {
    const s = f.summary;
    rows.push([f.fault, String(s.runs), `${s.recovered}/${s.runs}`, ms(s.recoveryMs.median), ms(s.recoveryMs.max),
      `${ms(s.windowMs.median)}/${ms(s.windowMs.max)}`, `${ms(s.outageMs.median)}/${ms(s.outageMs.max)}`, ms(s.writerReadyMs.median), String(s.clientErrors),
      `${s.lostWrites}${s.lostUnverified > 0 ? ` (+${s.lostUnverified} unchecked)` : ''}`, String(s.duplicates),
      String(s.splitBrainSamples), String(s.notConverged), target(f.fault)]);
  }
  return table(rows);
}

/** The steady-state table: one row per process and load. */
export function steadyTable(s: SteadyResult): string {
  if (!s.completed && s.phases.length === 0) return `steady state: not measured (${s.error ?? '?'})`;
  const rows = [['load', 'process', 'CPU % of a core', 'RSS MiB', 'RSS max MiB']];
  for (const p of s.phases) {
    for (const [name, c] of Object.entries(p.procs)) rows.push([p.load, name, c.cpuPct.toFixed(1), c.rssMiB.toFixed(1), c.rssMaxMiB.toFixed(1)]);
  }
  return table(rows);
}

/** The scale table: one row per host count. */
export function scaleTable(rs: readonly ScaleResult[]): string {
  const rows = [['hosts', 'online', 'monitor CPU %', 'RSS MiB', 'SELECT 1/s', 'SHOW SLAVE STATUS/s', 'agent req/s', 'simulators CPU %']];
  for (const r of rs) {
    rows.push([String(r.hosts), String(r.hostsOnline), r.monitor === null ? `- (${r.error ?? '?'})` : r.monitor.cpuPct.toFixed(1),
      r.monitor === null ? '-' : r.monitor.rssMiB.toFixed(1), String(r.ratesPerS.mysqlSelect1), String(r.ratesPerS.replicaStatus),
      String(r.ratesPerS.agentRequests), r.simulatorCpuPct.toFixed(1)]);
  }
  return table(rows);
}
