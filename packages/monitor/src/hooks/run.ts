// Runs one hook script without a shell, in its own process group, bounded by a timeout that kills the
// whole group; captures exit code, bounded output and duration, and never throws.
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import type { Logger } from '@mmm-ts/protocol';
import { commandOf, redactArgs, secretValues } from './args.js';
import type { HookKind, HookRun } from './types.js';

export interface RunHookOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Output kept per stream; the rest is counted and dropped. Default 64 KiB. */
  readonly maxOutputBytes?: number;
  /** After the timeout's SIGTERM, SIGKILL follows this much later. Default 1000 ms. */
  readonly killGraceMs?: number;
}

/** Collects a stream's first `max` bytes. */
class Capped {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  constructor(private readonly max: number) {}
  add(chunk: Buffer): void {
    const room = this.max - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }
  text(secrets: readonly string[]): string {
    let s = Buffer.concat(this.chunks).toString('utf8');
    for (const secret of secrets) s = s.split(secret).join('xxx');
    return this.dropped > 0 ? `${s}\n[${this.dropped} more bytes dropped]` : s;
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

const delay = (ms: number): Promise<'late'> => new Promise((resolve) => { setTimeout(() => { resolve('late'); }, ms).unref(); });

/** Runs `path argv…` with `env` added to the monitor's environment; resolves with what happened. */
export async function runHook(
  spec: { readonly hook: HookKind; readonly path: string },
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  opts: RunHookOptions,
): Promise<HookRun> {
  const max = opts.maxOutputBytes ?? 65_536;
  const grace = opts.killGraceMs ?? 1000;
  const command = commandOf(argv);
  const shown = redactArgs(argv);
  const secrets = secretValues(argv, env);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const out = new Capped(max);
  const errOut = new Capped(max);
  let timedOut = false;
  let exitCode: number | null = null;
  let signal: string | null = null;
  let error: string | null = null;
  const timers: NodeJS.Timeout[] = [];
  try {
    const child = execa(spec.path, [...argv], {
      env: { ...env }, extendEnv: true, stdin: 'ignore', buffer: false, reject: false, detached: true, cleanup: true,
    });
    child.stdout.on('data', (c: Buffer) => { out.add(c); });
    child.stderr.on('data', (c: Buffer) => { errOut.add(c); });
    timers.push(setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      timers.push(setTimeout(() => { killGroup(child.pid, 'SIGKILL'); }, grace));
    }, opts.timeoutMs));
    // A grandchild that left the group could hold the pipes open: stop waiting for them in the end.
    const settled = await Promise.race([child, (async () => {
      await delay(opts.timeoutMs + grace + 1000);
      child.stdout.destroy();
      child.stderr.destroy();
      return 'late' as const;
    })()]);
    if (settled !== 'late') {
      exitCode = typeof settled.exitCode === 'number' ? settled.exitCode : null;
      signal = settled.signal ?? null;
      if (settled.failed && exitCode === null && signal === null && !timedOut) error = (settled.originalMessage ?? '') || (settled.shortMessage ?? 'the script could not be run');
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  const durationMs = Math.round(performance.now() - t0);
  const run: HookRun = {
    hook: spec.hook, command, path: spec.path, argv: shown, startedAt, exitCode, signal, timedOut, durationMs,
    stdout: out.text(secrets), stderr: errOut.text(secrets), error, ok: exitCode === 0 && !timedOut,
  };
  const fields = { event: 'hook.run', hook: run.hook, command, path: run.path, argv: shown, exitCode, signal, timedOut, durationMs, error };
  if (run.ok) opts.logger.info(fields, `${run.hook} --command=${command} exited 0`);
  else opts.logger.warn(fields, `${run.hook} --command=${command} failed`);
  return run;
}
