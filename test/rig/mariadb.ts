// One mariadbd per host: its command line, starting it detached inside the host's namespace, waiting
// until it answers, and bounded one-shot SQL connections (over the unix socket, which is not tied to a
// network namespace, or over TCP from the root namespace).
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import mysql, { type QueryValues } from 'mysql2/promise';
import { RigError } from './errors.js';
import { isAlive, runOk, sleep } from './proc.js';
import { STORAGE_ARGS } from './template.js';
import type { HostPlan } from './topology.js';
import type { Credentials, SqlRow } from './types.js';

/**
 * The server's options. MMM convention: only the writer (db1) starts writable, every other host
 * starts with read_only=1. The masters split auto-increment values (increment 2, offsets 1 and 2).
 */
export function serverArgs(h: HostPlan): string[] {
  return [
    '--no-defaults',
    '--user=root',
    `--datadir=${h.datadir}`,
    `--socket=${h.socket}`,
    `--pid-file=${h.pidFile}`,
    `--log-error=${h.errorLog}`,
    '--port=3306',
    '--bind-address=0.0.0.0',
    '--skip-name-resolve',
    `--server-id=${h.serverId}`,
    `--report-host=${h.name}`,
    '--log-bin=mysql-bin',
    '--relay-log=relay-bin',
    '--log-slave-updates',
    '--gtid-strict-mode=1',
    '--binlog-format=ROW',
    ...STORAGE_ARGS,
    '--max-connections=64',
    '--key-buffer-size=1M',
    '--aria-pagecache-buffer-size=1M',
    '--innodb-log-buffer-size=2M',
    '--query-cache-size=0',
    '--table-open-cache=200',
    '--slave-net-timeout=4',
    `--read-only=${h.index === 1 ? 0 : 1}`,
    ...(h.mode === 'master' ? ['--auto-increment-increment=2', `--auto-increment-offset=${h.index}`] : []),
  ];
}

/** Starts mariadbd inside the host's namespace, detached so it can outlive this process; returns its PID. */
export async function spawnServer(h: HostPlan): Promise<number> {
  await mkdir(h.dir, { recursive: true });
  // A killed server leaves its socket lock behind; if its PID is a zombie, the new server would refuse to start.
  rmSync(`${h.socket}.lock`, { force: true });
  const out = openSync(h.stdoutLog, 'a');
  try {
    // `ip netns exec` execs mariadbd, so the PID we get is the server's. node's spawn rather than execa:
    // a detached daemon writing straight to a log file descriptor (argument array, no shell all the same).
    const child = spawn('ip', ['netns', 'exec', h.ns, 'mariadbd', ...serverArgs(h)], {
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new RigError('RIG_MYSQLD_START_FAILED', `${h.name}: mariadbd did not start`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Polls the server over its socket until it answers; fails fast with the error log if it dies. */
export async function waitReady(h: HostPlan, pid: number, admin: Credentials, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid)) {
      throw new RigError('RIG_MYSQLD_START_FAILED', `${h.name}: mariadbd (pid ${pid}) died at start:\n${tail(h.errorLog, 15)}${tail(h.stdoutLog, 5)}`);
    }
    if (existsSync(h.socket)) {
      try {
        await query({ socketPath: h.socket }, admin, 'SELECT 1', [], 1000);
        return;
      } catch {
        // not ready yet
      }
    }
    if (Date.now() > deadline) {
      throw new RigError('RIG_MYSQLD_START_FAILED', `${h.name}: mariadbd (pid ${pid}) did not answer within ${timeoutMs} ms:\n${tail(h.errorLog, 15)}`);
    }
    await sleep(15);
  }
}

/** Where to connect: a unix socket, or TCP. */
export type Endpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/**
 * One query on a fresh connection, bounded in connect, handshake and query time. MySQL errors are
 * thrown as mysql2 errors (with `errno`, e.g. 1290 for read_only) so tests can check them.
 */
export async function query(
  to: Endpoint,
  who: Credentials,
  sql: string,
  params: readonly unknown[],
  timeoutMs: number,
  database?: string,
): Promise<SqlRow[]> {
  const conn = await mysql.createConnection({
    ...to,
    user: who.user,
    password: who.password,
    connectTimeout: timeoutMs,
    ...(database !== undefined ? { database } : {}),
  });
  // Swallow late errors (e.g. the server is killed while we close): the query's outcome is what counts.
  conn.on('error', () => undefined);
  try {
    const [rows] = await conn.query({ sql, timeout: timeoutMs }, params as QueryValues);
    return Array.isArray(rows) ? (rows as SqlRow[]) : [];
  } finally {
    await Promise.race([conn.end().catch(() => undefined), sleep(300)]);
    conn.destroy();
  }
}

/** The PID in the host's pid file, if any (used to find a server after a restart by another process). */
export function readPidFile(h: HostPlan): number | null {
  try {
    const pid = Number(readFileSync(h.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Copies the template datadir for one host (cp -a; the base dir is usually tmpfs). */
export async function copyTemplate(template: string, h: HostPlan): Promise<void> {
  await mkdir(h.dir, { recursive: true });
  await runOk(['cp', '-a', '--reflink=auto', template, h.datadir], { timeoutMs: 60_000 });
}
