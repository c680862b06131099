// CPU and memory of a running process read from /proc, so the benchmark can report what the monitor
// and the agents cost without instrumenting them: CPU as utime+stime ticks over a window, RSS as VmRSS.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** One reading of a process. */
export interface ProcReading {
  /** utime + stime, clock ticks. */
  readonly ticks: number;
  readonly rssKiB: number;
}

/** What a process cost over a window. */
export interface ProcCost {
  readonly pid: number;
  /** CPU time over the window as a percentage of one core. */
  readonly cpuPct: number;
  /** VmRSS at the end of the window, MiB. */
  readonly rssMiB: number;
  /** Highest VmRSS seen during the window (sampled every second), MiB. */
  readonly rssMaxMiB: number;
}

let clkTck: number | null = null;
/** The kernel's clock ticks per second (USER_HZ), for converting /proc times. */
export function clockTicksPerSecond(): number {
  if (clkTck === null) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout.trim());
    clkTck = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clkTck;
}

/** Reads utime+stime and VmRSS of `pid`; null when the process is gone. */
export function readProc(pid: number): ProcReading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return { ticks, rssKiB: m?.[1] !== undefined ? Number(m[1]) : 0 };
  } catch {
    return null;
  }
}

/** The command line of `pid` as argv; [] when it cannot be read. */
export function procArgv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** PIDs of every process whose argv satisfies `match` (e.g. node running mmm-agent.js with a config). */
export function findPids(match: (argv: readonly string[]) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (match(procArgv(pid))) out.push(pid);
  }
  return out.sort((a, b) => a - b);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

/** Measures each named process over `windowMs`; a process that exits meanwhile is left out. */
export async function measureProcs(pids: Readonly<Record<string, number>>, windowMs: number): Promise<Record<string, ProcCost>> {
  const hz = clockTicksPerSecond();
  const start = new Map<string, ProcReading>();
  const maxRss = new Map<string, number>();
  for (const [name, pid] of Object.entries(pids)) {
    const r = readProc(pid);
    if (r !== null) { start.set(name, r); maxRss.set(name, r.rssKiB); }
  }
  const t0 = process.hrtime.bigint();
  const end = Date.now() + windowMs;
  while (Date.now() < end) {
    await sleep(Math.min(1_000, Math.max(0, end - Date.now())));
    for (const [name, pid] of Object.entries(pids)) {
      const r = readProc(pid);
      if (r !== null) maxRss.set(name, Math.max(maxRss.get(name) ?? 0, r.rssKiB));
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const out: Record<string, ProcCost> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const a = start.get(name);
    const b = readProc(pid);
    if (a === undefined || b === null) continue;
    out[name] = {
      pid,
      cpuPct: Math.round(((b.ticks - a.ticks) / hz / seconds) * 1000) / 10,
      rssMiB: mib(b.rssKiB),
      rssMaxMiB: mib(maxRss.get(name) ?? b.rssKiB),
    };
  }
  return out;
}
