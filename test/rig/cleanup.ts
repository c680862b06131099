// Tearing a rig down, and making sure it happens: the same synchronous sweep removes a crashed run's
// leftovers before a rig is built, destroys a rig, and runs from process exit and signal handlers
// (where nothing can be awaited). Everything is found by prefix, so other rigs are never touched.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { isAlive, pidsWithCmdline, signal, waitGoneSync } from './proc.js';
import { ownsName } from './topology.js';

/** What a sweep removed, for logs and tests. */
export interface SweepReport {
  readonly killed: number[];
  readonly namespaces: string[];
  readonly links: string[];
}

function ipSync(args: readonly string[], input?: string): string {
  const r = spawnSync('ip', args, { encoding: 'utf8', input, timeout: 10_000 });
  return r.status === 0 ? r.stdout : '';
}

/** Namespaces named `<prefix>-…`. */
export function rigNamespaces(prefix: string): string[] {
  return ipSync(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '' && ownsName(prefix, name));
}

/** Root-namespace links named `<prefix>br` or `<prefix>-…`. */
export function rigLinks(prefix: string): string[] {
  const out = ipSync(['-j', 'link', 'show']);
  if (out === '') return [];
  const links = JSON.parse(out) as { ifname?: string }[];
  return links.map((l) => l.ifname ?? '').filter((name) => name !== '' && ownsName(prefix, name));
}

/** Live processes of a rig: everything inside its namespaces, and anything whose command line names its dir. */
export function rigPids(prefix: string, baseDir: string): number[] {
  const pids = new Set<number>(pidsWithCmdline(`${baseDir}/`));
  for (const ns of rigNamespaces(prefix)) {
    for (const p of ipSync(['netns', 'pids', ns]).split('\n')) {
      const pid = Number(p);
      if (p !== '' && Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) pids.add(pid);
    }
  }
  return [...pids];
}

/**
 * Removes every trace of the rig with this prefix: kills its processes (SIGKILL, waits until they are
 * gone), deletes its links and namespaces and its base dir. Synchronous; safe to call any number of times.
 */
export function sweepSync(prefix: string, baseDir: string, knownPids: readonly number[] = []): SweepReport {
  const pids = [...new Set([...knownPids.filter(isAlive), ...rigPids(prefix, baseDir)])];
  for (const pid of pids) signal(pid, 'SIGKILL');
  waitGoneSync(pids, 5000);
  const links = rigLinks(prefix);
  const namespaces = rigNamespaces(prefix);
  const batch = [...links.map((l) => `link del ${l}`), ...namespaces.map((n) => `netns del ${n}`)];
  // -force: keep going past a link that vanished with its namespace in the meantime.
  if (batch.length > 0) ipSync(['-force', '-batch', '-'], batch.join('\n') + '\n');
  rmSync(baseDir, { recursive: true, force: true });
  return { killed: pids, namespaces, links };
}

interface Registered {
  readonly prefix: string;
  readonly baseDir: string;
  readonly pids: () => number[];
}

const live = new Map<string, Registered>();
let installed = false;

function sweepAll(): void {
  for (const r of [...live.values()]) {
    live.delete(r.prefix);
    try {
      sweepSync(r.prefix, r.baseDir, r.pids());
    } catch {
      // best effort at exit: keep sweeping the others
    }
  }
}

function onSignal(sig: NodeJS.Signals): void {
  sweepAll();
  process.removeListener(sig, onSignal);
  // Nobody else handles it: fall back to the default action (exit by the signal).
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

/** Makes sure the rig is swept when this process exits, throws, or gets SIGINT/SIGTERM/SIGHUP. */
export function registerForCleanup(prefix: string, baseDir: string, pids: () => number[]): void {
  live.set(prefix, { prefix, baseDir, pids });
  if (installed) return;
  installed = true;
  process.on('exit', sweepAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
}

/** Called by destroy(): the rig is gone, the exit handler need not sweep it. */
export function unregister(prefix: string): void {
  live.delete(prefix);
}
