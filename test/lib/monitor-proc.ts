// Runs a real `mmm-monitor` process in the root namespace (it reaches every rig host over the bridge)
// as a user deploys it, waits until `mmm-control ping` answers, and kills it on every exit path.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendControlCommand } from '@mmm-ts/monitor';
import type { Rig } from '../rig/index.js';
import { eventually } from './eventually.js';

const MONITOR_BIN = fileURLToPath(new URL('../../../packages/monitor/bin/mmm-monitor.js', import.meta.url));
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) if (c.pid !== undefined) spawnSync('kill', ['-9', String(c.pid)]);
});

export interface MonitorProc {
  readonly logFile: string;
  /** Sends one control command (as mmm-control does) and returns the reply text. */
  control(line: string, timeoutMs?: number): Promise<string>;
  /** The monitor's log lines parsed (pino JSON), from the start of this process. */
  logs(): Record<string, unknown>[];
  /** SIGTERM (default) or SIGKILL; resolves with the exit code and how long the exit took (ms). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<{ code: number | null; signal: string | null; ms: number }>;
  readonly exited: boolean;
}

/** Starts `mmm-monitor --config configPath --log-level debug` and waits until it answers ping. */
export async function startMonitorProc(rig: Rig, configPath: string, opts: { logName?: string; port?: number } = {}): Promise<MonitorProc> {
  const logFile = join(rig.baseDir, opts.logName ?? 'monitor.log');
  const out = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, [MONITOR_BIN, '--config', configPath, '--log-level', 'debug'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  live.add(child);
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    live.delete(child);
    resolve({ code, signal });
  }));
  const port = opts.port ?? 9988;
  const control = async (line: string, timeoutMs = 60_000): Promise<string> => {
    const r = await sendControlCommand({ host: rig.bridgeIp, port, words: line.split(' '), json: false, replyTimeoutMs: timeoutMs });
    if (!r.ok) throw new Error(`control ${line}: ${r.error.message}`);
    return r.value;
  };
  const proc: MonitorProc = {
    logFile,
    control,
    logs() {
      return readFileSync(logFile, 'utf8').split('\n').flatMap((l) => {
        try { return [JSON.parse(l) as Record<string, unknown>]; } catch { return []; }
      });
    },
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (!exited) child.kill(signal);
      const r = await exit;
      return { ...r, ms: Date.now() - t0 };
    },
    get exited() { return exited; },
  };
  try {
    await eventually(() => control('ping', 2_000), (t) => t === 'OK: Pinged successfully!', { timeoutMs: 20_000, intervalMs: 100 });
  } catch (e) {
    child.kill('SIGKILL');
    await exit;
    throw new Error(`mmm-monitor did not answer ping: ${e instanceof Error ? e.message : String(e)}; log ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  return proc;
}
