// Starts the write client (write-client-main) inside the rig's client namespace and collects what it
// acknowledged, so a test can compare the client's log with every server after convergence.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Rig } from '../rig/index.js';

const MAIN = fileURLToPath(new URL('./write-client-main.js', import.meta.url));
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) if (c.pid !== undefined) spawnSync('kill', ['-9', String(c.pid)]); });

/** One write: `t` when it started, `ackAt` when the server acknowledged it (ok writes only). */
export interface WriteRecord { readonly id: number; readonly ok: boolean; readonly t: number; readonly ackAt?: number; readonly serverId?: number | null; readonly error?: string }

export interface WriteClient {
  readonly records: WriteRecord[];
  acked(): number[];
  /** Stops the client and resolves when it has printed its last record. */
  stop(): Promise<void>;
}

export function startWriteClient(rig: Rig, opts: { intervalMs?: number; startId?: number; host?: string } = {}): WriteClient {
  const records: WriteRecord[] = [];
  const child = spawn('ip', ['netns', 'exec', rig.clientNs, process.execPath, MAIN,
    '--host', opts.host ?? rig.writerVip, '--user', rig.users.app.user, '--password', rig.users.app.password,
    '--interval-ms', String(opts.intervalMs ?? 20), '--start-id', String(opts.startId ?? 1)], { stdio: ['ignore', 'pipe', 'inherit'] });
  live.add(child);
  const done = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const r = JSON.parse(line) as WriteRecord & { done?: boolean };
        if (r.done !== true) records.push(r);
      } catch { /* not a record */ }
    });
  }
  return {
    records,
    acked: () => records.filter((r) => r.ok).map((r) => r.id),
    async stop() { child.kill('SIGTERM'); await done; },
  };
}
