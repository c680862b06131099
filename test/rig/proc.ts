// Small process helpers: run a command with a bound (execa, argument arrays, never a shell), and tell
// whether a PID is really alive. On these machines PID 1 reaps orphans late, so a killed server can
// linger as a zombie: /proc/PID/status State decides, not whether /proc/PID exists.
import { readFileSync, readdirSync } from 'node:fs';
import { execa } from 'execa';
import { RigError } from './errors.js';
import type { ExecResult } from './types.js';

/** Runs argv with a bound; never throws on a non-zero exit (the caller reads exitCode). */
export async function run(argv: readonly string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new RigError('RIG_COMMAND_FAILED', 'empty command');
  const r = await execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs ?? 10_000,
    stripFinalNewline: true,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  });
  return {
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    exitCode: r.exitCode ?? null,
    timedOut: r.timedOut,
  };
}

/** Runs argv and throws RIG_COMMAND_FAILED (with its stderr) unless it exits 0. */
export async function runOk(argv: readonly string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.exitCode !== 0) {
    throw new RigError('RIG_COMMAND_FAILED', `${argv.join(' ')} exited ${String(r.exitCode)}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

/** True when the process exists and is not a zombie (or dead). */
export function isAlive(pid: number): boolean {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return false;
  }
  const state = /^State:\s+(\S)/m.exec(status)?.[1];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the thread: only for the synchronous exit-time cleanup, where nothing may be awaited. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits until none of the PIDs is alive; returns the ones still alive at the deadline. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(10);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** Synchronous waitGone, for exit handlers. */
export function waitGoneSync(pids: readonly number[], timeoutMs: number): number[] {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    sleepSync(10);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** Live PIDs whose command line contains `needle` (used to find a crashed rig's servers by their dir). */
export function pidsWithCmdline(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.split('\0').some((arg) => arg.includes(needle)) && isAlive(pid)) out.push(pid);
  }
  return out;
}
