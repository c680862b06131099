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
  readonly converged: boolean;
  /** The monitor's answer to `move_role` (switchover only). */
  readonly moveReply: string | null;
  /** How long replication took to be idle on every host after the fault was healed (ms). */
  readonly convergeMs: number;
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
  try {
    await eventually(async () => { await rig.waitReplicationIdle(Math.max(1_000, 60_000 - (Date.now() - convergeStart))); return true; }, () => true, { timeoutMs: 60_000, intervalMs: 200 });
  } catch { converged = false; }
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
    writerReadyMs: (() => {
      const ready = samplerSummary.writerChanges.find((c) => c.t >= faultAt && c.hosts.length === 1 && c.hosts[0] === newWriter);
      return ready === undefined || newWriter === '' ? null : ready.t - faultAt;
    })(),
    clientErrors: client.records.filter((r) => !r.ok && r.t >= faultAt).length,
    acked: acked.length, lost, duplicates, sampler: samplerSummary, checksums, convergeMs,
    converged: converged && new Set(Object.values(checksums)).size === 1,
  };
}
