// Runs real `mmm-agent` processes inside the rig's host namespaces (as a user deploys them), so tests
// talk to agents over the real network, and kills them on every exit path.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendRequest } from '@mmm-ts/protocol';
import type { Rig } from '../rig/index.js';
import { eventually } from './eventually.js';

const AGENT_BIN = fileURLToPath(new URL('../../../packages/agent/bin/mmm-agent.js', import.meta.url));
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) if (c.pid !== undefined) spawnSync('kill', ['-9', String(c.pid)]);
});

export interface AgentProcs {
  /** Starts the agent of `host` (no-op if running) and waits until it answers PING. */
  start(host: string): Promise<void>;
  /** SIGKILL (default) or SIGTERM the agent of `host` and wait for it to exit. */
  stop(host: string, signal?: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
  stopAll(): Promise<void>;
  /** Path of the host's agent log (pino JSON lines). */
  logFile(host: string): string;
}

export interface AgentProcsOptions {
  readonly configPath: string;
  /** The cluster secret (null in MMM v1 compatibility mode). */
  readonly secret: string | null;
  readonly logLevel?: string;
}

/** Starts one agent per rig host and returns a handle to control them. */
export async function startAgents(rig: Rig, opts: AgentProcsOptions): Promise<AgentProcs> {
  const procs = new Map<string, ChildProcess>();
  const logFile = (host: string): string => join(rig.baseDir, `agent-${host}.log`);

  async function start(host: string): Promise<void> {
    if (procs.has(host)) return;
    const h = rig.host(host);
    const out = createWriteStream(logFile(host), { flags: 'a' });
    const child = spawn('ip', ['netns', 'exec', h.ns, process.execPath, AGENT_BIN, '--config', opts.configPath, '--host', host, '--log-level', opts.logLevel ?? 'debug'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    live.add(child);
    procs.set(host, child);
    child.once('exit', () => { live.delete(child); if (procs.get(host) === child) procs.delete(host); });
    await eventually(
      () => sendRequest({ host: h.ip, port: 9989, secret: opts.secret, connectTimeoutMs: 300, readTimeoutMs: 1000 }, `PING|1|${host}`),
      (r) => r.ok && r.value.startsWith('OK: Pinged!'),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  }

  async function stop(host: string, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<number | null> {
    const child = procs.get(host);
    if (child === undefined) return null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  for (const h of rig.hosts) await start(h.name);
  return {
    start,
    stop,
    async stopAll() { await Promise.all([...procs.keys()].map((h) => stop(h))); },
    logFile,
  };
}
