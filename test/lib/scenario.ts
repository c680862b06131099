// One fault scenario, measured the way the MMM and MHA numbers were: a client writes through the
// writer VIP every 20 ms on a new connection; the time that counts is from the fault to the first
// write acknowledged by the new writer. Also counted: client-visible errors, acknowledged writes
// missing afterwards, duplicates, split-brain samples, and whether every host converged to the
// same data (checksums).
import type { Cluster } from './cluster.js';
import { startSplitBrainSampler, type SamplerSummary } from './split-brain-sampler.js';
import { startWriteClient } from './write-client.js';
import { eventually } from './eventually.js';

export type FaultKind = 'kill' | 'hang' | 'linkdown' | 'switchover';

export interface FaultResult {
  readonly fault: FaultKind;
  readonly oldWriter: string;
  readonly newWriter: string;
  /** Fault injected → first write acknowledged by the new writer (ms); null if none came. */
  readonly recoveryMs: number | null;
  /** Last acknowledgement by the old writer → first by the new one (ms): the write-unavailable window. */
  readonly windowMs: number | null;
  /** The longest time without an acknowledged write, from the last ack before the fault to the end
   * of the run: catches a client that succeeded on the new writer and then stalled again. */
  readonly outageMs: number | null;
  /** Fault → the new writer first seen writable with the VIP by the 10 ms sampler (server side,
   * before any client retry: a client's connect that fell into the VIP move waits out its timeout). */
  readonly writerReadyMs: number | null;
  readonly clientErrors: number;
  readonly acked: number;
  readonly lost: number[];
  readonly duplicates: number;
  readonly sampler: SamplerSummary;
  /** CHECKSUM TABLE app.writes on every host after convergence, by host. */
  readonly checksums: Record<string, string>;
  /**
   * Every host identical after convergence — except, for a 'kill' or 'hang', the old writer when it differs only
   * by commits it never shipped and never acknowledged (see acceptUnshipped): then it is true as well,
   * with those ids in unshippedOnOldWriter.
   */
  readonly converged: boolean;
  /** Ids the killed old writer committed but never shipped nor acknowledged (async replication's window). */
  readonly unshippedOnOldWriter: number[];
  /** When unshippedOnOldWriter is not empty: the old writer's state in words (replication, monitor). */
  readonly oldWriterNote: string | null;
  /** The monitor's answer to `move_role` (switchover only). */
  readonly moveReply: string | null;
  /** How long replication took to be idle on every host after the fault was healed (ms). */
  readonly convergeMs: number;
  /** Why the hosts differ, when they do (null when every checksum matched). */
  readonly divergence: Divergence | null;
}

/** One host's data and replication against the new writer, read after convergence failed. */
export interface HostDivergence {
  readonly host: string;
  /** Acknowledged ids this host lacks. */
  readonly missingAcked: number[];
  /** Ids of the new writer this host lacks (acknowledged or not). */
  readonly missing: number[];
  /** Ids this host has and the new writer lacks, and whether each was acknowledged to the client. */
  readonly extra: { readonly id: number; readonly acked: boolean }[];
  readonly gtidBinlogPos: string;
  readonly gtidSlavePos: string;
  readonly gtidCurrentPos: string;
  /** SHOW SLAVE STATUS, the fields that say whether and from where it replicates (null: none configured). */
  readonly slave: { readonly masterHost: string; readonly io: string; readonly sql: string; readonly lastIoError: string; readonly lastSqlError: string } | null;
  /** Set when the host could not be read. */
  readonly error?: string;
}

/** What the test reports when hosts differ after convergence. */
export interface Divergence {
  readonly hosts: HostDivergence[];
  /** The monitor's `show`. */
  readonly show: string;
  /** The text of the newest `history` entry. */
  readonly lastHistory: string;
  /** Why waitReplicationIdle gave up (null if it did not). */
  readonly idleError: string | null;
}

export interface FaultOptions {
  /** How long to wait for the new writer's first acknowledged write [30 s]. */
  readonly timeoutMs?: number;
  /** Write on after recovery this long before stopping the client [1 s]. */
  readonly afterMs?: number;
  /** Target of a switchover [the other master]. */
  readonly target?: string;
  readonly startId?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runFault(c: Cluster, fault: FaultKind, opts: FaultOptions = {}): Promise<FaultResult> {
  const rig = c.rig;
  const oldWriter = await c.writer();
  if (oldWriter === '') throw new Error('no writer before the fault');
  const oldSid = rig.host(oldWriter).serverId;
  const target = opts.target ?? rig.hosts.find((h) => h.mode === 'master' && h.name !== oldWriter)?.name ?? '';
  const sampler = await startSplitBrainSampler(rig);
  const client = startWriteClient(rig, { intervalMs: 20, startId: opts.startId ?? 1 });
  await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 20, { timeoutMs: 10_000 });

  const faultAt = Date.now();
  let switchReply: Promise<string> | null = null;
  switch (fault) {
    case 'kill': await rig.killMysqld(oldWriter); break;
    case 'hang': await rig.stopMysqld(oldWriter); break;
    case 'linkdown': await rig.linkDown(oldWriter); break;
    case 'switchover':
      // A lag refusal is what an operator retries; on a loaded 2-core machine a replica can show
      // 2 s of Seconds_Behind_Master for a moment.
      switchReply = (async () => {
        let reply = '';
        for (let attempt = 1; attempt <= 3; attempt++) {
          reply = await c.monitor.control(`move_role writer ${target}`, 60_000);
          if (!/has not applied all replication events/.test(reply)) return reply;
          await sleep(500);
        }
        return reply;
      })();
      break;
  }
  const firstNew = (): { ackAt?: number; serverId?: number | null } | undefined =>
    client.records.find((r) => r.ok && r.t >= faultAt && r.serverId !== oldSid && r.serverId !== undefined && r.serverId !== null);
  try {
    await eventually(() => Promise.resolve(firstNew()), (r) => r !== undefined, { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 10 });
  } catch { /* recoveryMs stays null */ }
  await sleep(opts.afterMs ?? 1_000);
  await client.stop();
  const samplerSummary = await sampler.stop();
  const moveReply = switchReply === null ? null : await switchReply.catch((e: unknown) => `ERROR: ${e instanceof Error ? e.message : String(e)}`);

  // Heal, then let everything converge.
  switch (fault) {
    case 'kill': await rig.startMysqld(oldWriter); break;
    case 'hang': await rig.contMysqld(oldWriter); break;
    case 'linkdown': await rig.linkUp(oldWriter); break;
    case 'switchover': break;
  }
  const first = firstNew();
  const newSid = first?.serverId ?? null;
  const newWriter = rig.hosts.find((h) => h.serverId === newSid)?.name ?? '';
  const lastOld = client.records.filter((r) => r.ok && r.serverId === oldSid).at(-1)?.ackAt ?? null;
  const acked = client.acked();
  // A resumed (SIGCONT) server's replication can take a while to catch up after its links time out.
  let converged = true;
  const convergeStart = Date.now();
  // A server resumed from SIGSTOP can refuse new socket connections for a moment (EAGAIN): retry.
  let idleError: string | null = null;
  try {
    await eventually(async () => { await rig.waitReplicationIdle(Math.max(1_000, 60_000 - (Date.now() - convergeStart))); return true; }, () => true, { timeoutMs: 60_000, intervalMs: 200 });
  } catch (e) { converged = false; idleError = e instanceof Error ? e.message : String(e); }
  const convergeMs = Date.now() - convergeStart;
  const checksums: Record<string, string> = {};
  for (const h of rig.hosts) {
    // Right after SIGCONT a server's socket backlog can be full (EAGAIN): retry for a few seconds.
    try {
      checksums[h.name] = await eventually(async () => String((await rig.sql(h.name, 'CHECKSUM TABLE app.writes'))[0]?.['Checksum']), () => true, { timeoutMs: 10_000, intervalMs: 100 });
    } catch (e) {
      checksums[h.name] = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const identical = converged && new Set(Object.values(checksums)).size === 1;
  const divergence = identical ? null : await diagnose(c, newWriter, acked, idleError);
  // A SIGSTOP can freeze the writer between binlog commit and shipping just as kill -9 can.
  const accepted = divergence !== null && (fault === 'kill' || fault === 'hang') ? acceptUnshipped(divergence, oldWriter, newWriter, oldSid, checksums) : null;
  let lost: number[] = acked;
  let duplicates = 0;
  if (newWriter !== '') {
    const rows = await rig.sql(newWriter, 'SELECT id FROM app.writes');
    const ids = new Set(rows.map((r) => Number(r['id'])));
    lost = acked.filter((id) => !ids.has(id));
    duplicates = rows.length - ids.size;
  }
  return {
    fault, oldWriter, newWriter, moveReply,
    recoveryMs: first?.ackAt !== undefined ? first.ackAt - faultAt : null,
    windowMs: first?.ackAt !== undefined && lastOld !== null ? first.ackAt - lastOld : null,
    outageMs: longestAckGap(client.records, faultAt),
    writerReadyMs: (() => {
      const ready = samplerSummary.writerChanges.find((c) => c.t >= faultAt && c.hosts.length === 1 && c.hosts[0] === newWriter);
      return ready === undefined || newWriter === '' ? null : ready.t - faultAt;
    })(),
    clientErrors: client.records.filter((r) => !r.ok && r.t >= faultAt).length,
    acked: acked.length, lost, duplicates, sampler: samplerSummary, checksums, convergeMs,
    converged: identical || accepted !== null,
    unshippedOnOldWriter: accepted?.ids ?? [],
    oldWriterNote: accepted?.note ?? null,
    divergence,
  };
}

/**
 * Async replication's inherent window (MySQL-MMM and MHA have it too): kill -9 (or SIGSTOP) can leave the old writer
 * with a commit it binlogged but never shipped and never acknowledged (the kill fell between commit and
 * reply). Restarted, it holds a GTID nobody else has, and gtid_strict_mode stops its SQL thread at the
 * new writer's first event, so it can neither be idle nor match. Accepted only when: every other host
 * matches the new writer exactly; the old writer's extra rows were all unacknowledged; and it lacks
 * nothing, or it lacks rows only because its SQL thread stopped on its own newest GTID while the
 * monitor keeps it out of service (not ONLINE, no role). Returns null when that is not the case.
 */
export function acceptUnshipped(d: Divergence, oldWriter: string, newWriter: string, oldSid: number, checksums: Readonly<Record<string, string>>): { ids: number[]; note: string } | null {
  if (newWriter === '' || newWriter === oldWriter) return null;
  const ref = checksums[newWriter];
  if (ref === undefined || ref.startsWith('error')) return null;
  for (const h of d.hosts) {
    if (h.host === oldWriter) continue;
    if (h.error !== undefined || h.missing.length > 0 || h.extra.length > 0 || checksums[h.host] !== ref) return null;
  }
  const old = d.hosts.find((h) => h.host === oldWriter);
  if (old === undefined || old.error !== undefined || old.extra.length === 0 || old.extra.some((x) => x.acked)) return null;
  const ids = old.extra.map((x) => x.id);
  const line = d.show.split('\n').find((l) => l.trim().startsWith(`${oldWriter}(`))?.trim() ?? `${oldWriter}: not in show`;
  if (old.missing.length === 0) return { ids, note: `has every row of ${newWriter}; monitor: ${line}` };
  // "An attempt was made to binlog GTID 0-2-22 which would create an out-of-order sequence number with existing GTID 0-1-22"
  const m = /out-of-order sequence number with existing GTID (\d+)-(\d+)-(\d+)/.exec(old.slave?.lastSqlError ?? '');
  const own = m !== null && Number(m[2]) === oldSid && old.gtidBinlogPos.split(',').includes(`${m[1]}-${m[2]}-${m[3]}`);
  const fenced = /\/(?!ONLINE\.)[A-Z_]+\. Roles: *$/.test(line);
  if (old.slave?.sql === 'Yes' || !own || !fenced) return null;
  // The new writer still replicates from the old one (master-master): only strict mode keeps the unshipped GTID out.
  const nw = d.hosts.find((h) => h.host === newWriter)?.slave;
  const back = nw === null || nw === undefined || nw.sql === 'Yes' ? '' : `; ${newWriter}'s replication from ${nw.masterHost} stopped too (${nw.lastSqlError})`;
  return { ids, note: `its replication stopped on its own unshipped GTID (${old.slave?.lastSqlError ?? ''}); lacks ${old.missing.length} rows of ${newWriter}; monitor: ${line}${back}` };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '');

/** Reads every host's ids, GTID positions and replication threads against the new writer, and the monitor's view. */
export async function diagnose(c: Cluster, newWriter: string, ackedIds: readonly number[], idleError: string | null): Promise<Divergence> {
  const rig = c.rig;
  const acked = new Set(ackedIds);
  const idsOf = async (host: string): Promise<Set<number>> => new Set((await rig.sql(host, 'SELECT id FROM app.writes')).map((r) => Number(r['id'])));
  const reference = newWriter === '' ? null : await idsOf(newWriter).catch(() => null);
  const hosts: HostDivergence[] = [];
  for (const h of rig.hosts) {
    try {
      const ids = await idsOf(h.name);
      const pos = (await rig.sql(h.name, 'SELECT @@gtid_binlog_pos AS b, @@gtid_slave_pos AS s, @@gtid_current_pos AS c'))[0] ?? {};
      const st = (await rig.sql(h.name, 'SHOW SLAVE STATUS'))[0];
      hosts.push({
        host: h.name,
        missingAcked: ackedIds.filter((id) => !ids.has(id)),
        missing: reference === null ? [] : [...reference].filter((id) => !ids.has(id)).sort((a, b) => a - b),
        extra: reference === null ? [] : [...ids].filter((id) => !reference.has(id)).sort((a, b) => a - b).map((id) => ({ id, acked: acked.has(id) })),
        gtidBinlogPos: str(pos['b']), gtidSlavePos: str(pos['s']), gtidCurrentPos: str(pos['c']),
        slave: st === undefined ? null : {
          masterHost: str(st['Master_Host']), io: str(st['Slave_IO_Running']), sql: str(st['Slave_SQL_Running']),
          lastIoError: str(st['Last_IO_Error']), lastSqlError: str(st['Last_SQL_Error']),
        },
      });
    } catch (e) {
      hosts.push({ host: h.name, missingAcked: [], missing: [], extra: [], gtidBinlogPos: '', gtidSlavePos: '', gtidCurrentPos: '', slave: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const ask = (line: string): Promise<string> => c.monitor.control(line, 5_000).catch((e: unknown) => `error: ${e instanceof Error ? e.message : String(e)}`);
  return { hosts, show: await ask('show'), lastHistory: await ask('history 1'), idleError };
}

/** One line per host for an assertion message: what it lacks, what it has extra, GTIDs, replication. */
export function formatDivergence(d: Divergence): string {
  const ids = (xs: readonly number[]): string => (xs.length <= 12 ? xs.join(',') : `${xs.slice(0, 12).join(',')}…(${xs.length})`);
  const lines = d.hosts.map((h) => {
    if (h.error !== undefined) return `${h.host}: unreadable (${h.error})`;
    const s = h.slave;
    const repl = s === null ? 'no slave' : `from ${s.masterHost} IO=${s.io} SQL=${s.sql}${s.lastIoError !== '' ? ` io_err="${s.lastIoError}"` : ''}${s.lastSqlError !== '' ? ` sql_err="${s.lastSqlError}"` : ''}`;
    const extra = h.extra.map((x) => `${x.id}${x.acked ? '(ACKED)' : ''}`).join(',');
    return `${h.host}: lacks acked [${ids(h.missingAcked)}], lacks [${ids(h.missing)}], extra [${extra}]; binlog ${h.gtidBinlogPos} slave ${h.gtidSlavePos} current ${h.gtidCurrentPos}; ${repl}`;
  });
  if (d.idleError !== null) lines.push(`idle: ${d.idleError}`);
  lines.push(`show: ${d.show.replace(/\n/g, ' | ')}`);
  lines.push(`history: ${d.lastHistory.replace(/\n/g, ' | ').slice(0, 1500)}`);
  return lines.join('\n');
}

/** The longest gap between consecutive acknowledged writes, starting at the last ack before `from`. */
export function longestAckGap(records: readonly { readonly ok: boolean; readonly ackAt?: number }[], from: number): number | null {
  const acks = records.filter((r) => r.ok && r.ackAt !== undefined).map((r) => r.ackAt as number).sort((a, b) => a - b);
  const start = acks.findLastIndex((t) => t < from);
  const tail = acks.slice(Math.max(0, start));
  if (tail.length < 2) return null;
  let longest = 0;
  for (let i = 1; i < tail.length; i++) longest = Math.max(longest, (tail[i] ?? 0) - (tail[i - 1] ?? 0));
  return longest;
}
