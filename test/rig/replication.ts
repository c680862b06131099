// Replication wiring and waiting: db1⇄db2 master-master and db3…→db1, all by GTID (slave_pos), with
// a 1 s connect retry so a restarted server is picked up quickly.
import { RigError } from './errors.js';
import { sleep } from './proc.js';
import type { HostPlan } from './topology.js';
import type { Credentials, SqlRow } from './types.js';

/** Runs one admin query on a host (by name). */
export type HostSql = (host: string, sql: string, params?: readonly unknown[]) => Promise<SqlRow[]>;

/** A column value as text ('' for NULL or anything that is not a string or number). */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
}

/** Points every host at its source and starts replication. */
export async function wireReplication(hosts: readonly HostPlan[], repl: Credentials, sql: HostSql): Promise<void> {
  const ipOf = new Map(hosts.map((h) => [h.name, h.ip]));
  await Promise.all(
    hosts.map(async (h) => {
      await sql(
        h.name,
        'CHANGE MASTER TO master_host=?, master_port=3306, master_user=?, master_password=?, master_use_gtid=slave_pos, master_connect_retry=1',
        [ipOf.get(h.source), repl.user, repl.password],
      );
      await sql(h.name, 'START SLAVE');
    }),
  );
}

/** Why a host's replication is not running, or null when both threads run. */
export async function replicationProblem(host: string, sql: HostSql): Promise<string | null> {
  const rows = await sql(host, 'SHOW SLAVE STATUS');
  const s = rows[0];
  if (s === undefined) return `${host}: no replication configured`;
  if (s['Slave_IO_Running'] === 'Yes' && s['Slave_SQL_Running'] === 'Yes') return null;
  return `${host}: IO=${text(s['Slave_IO_Running'])} SQL=${text(s['Slave_SQL_Running'])} ${text(s['Last_IO_Error'])} ${text(s['Last_SQL_Error'])}`.trim();
}

/** Waits until both replication threads run on every host; throws RIG_REPLICATION_FAILED with the reasons. */
export async function waitThreadsRunning(hosts: readonly HostPlan[], sql: HostSql, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = hosts.map((h) => h.name);
  let reasons: string[] = [];
  for (;;) {
    const results = await Promise.all(pending.map(async (name) => ({ name, why: await replicationProblem(name, sql) })));
    const failing = results.filter((r) => r.why !== null);
    pending = failing.map((r) => r.name);
    reasons = failing.map((r) => r.why ?? '');
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new RigError('RIG_REPLICATION_FAILED', reasons.join('; '));
    await sleep(10);
  }
}

/** Parses a GTID list ("0-1-7,1-2-3") into domain → highest seq_no. */
export function parseGtidPos(pos: string): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const part of pos.split(',')) {
    const m = /^\s*(\d+)-(\d+)-(\d+)\s*$/.exec(part);
    if (!m?.[1] || !m[3]) continue;
    const domain = Number(m[1]);
    const seq = BigInt(m[3]);
    const prev = out.get(domain);
    if (prev === undefined || seq > prev) out.set(domain, seq);
  }
  return out;
}

/** True when `have` has reached `want` in every domain of `want`. */
export function gtidCovers(have: Map<number, bigint>, want: Map<number, bigint>): boolean {
  for (const [domain, seq] of want) if ((have.get(domain) ?? -1n) < seq) return false;
  return true;
}

/**
 * Waits until every host's @@gtid_binlog_pos covers what the masters have binlogged (hosts log their
 * replicated events, so this means "applied"). Throws RIG_REPLICATION_TIMEOUT naming the laggards.
 */
export async function waitIdle(hosts: readonly HostPlan[], sql: HostSql, timeoutMs: number): Promise<void> {
  const pos = async (name: string): Promise<Map<number, bigint>> =>
    parseGtidPos(text((await sql(name, 'SELECT @@gtid_binlog_pos AS p'))[0]?.['p']));
  const want = new Map<number, bigint>();
  for (const h of hosts.filter((x) => x.mode === 'master')) {
    for (const [d, s] of await pos(h.name)) if ((want.get(d) ?? -1n) < s) want.set(d, s);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind: string[] = [];
    for (const h of hosts) if (!gtidCovers(await pos(h.name), want)) behind.push(h.name);
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      const wanted = [...want].map(([d, s]) => `${d}:${s}`).join(',');
      throw new RigError('RIG_REPLICATION_TIMEOUT', `not caught up with ${wanted} after ${timeoutMs} ms: ${behind.join(', ')}`);
    }
    await sleep(10);
  }
}
