// The end-to-end fault suite (issue 6): every scenario on a fresh real cluster (MariaDB in namespaces,
// authenticated agents, mmm-monitor) with a client writing through the writer VIP every 20 ms and a
// sampler reading every host's read_only and VIP every 10 ms. Invariants asserted in every scenario:
// never two writable VIP holders in one sample, no acknowledged write lost or duplicated, every host
// identical after convergence, one writer in the end. Times are reported (t.diagnostic), never asserted.
import { afterEach, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startCluster, type Cluster } from '../lib/cluster.js';
import { formatDivergence, runFault, type FaultResult } from '../lib/scenario.js';
import { startSplitBrainSampler, type SamplerSummary } from '../lib/split-brain-sampler.js';
import { startWriteClient, type WriteClient } from '../lib/write-client.js';
import { eventually } from '../lib/eventually.js';

// Overridable so a second run (a repro loop) can use its own namespaces and subnet next to the suite's.
const PREFIX = process.env['MMM_FAULT_PREFIX'] ?? 'fs1';
const SUBNET = Number(process.env['MMM_FAULT_SUBNET'] ?? '50');
let cluster: Cluster | null = null;

/** A blackhole route this suite added in the root namespace (removed after each test, even on failure). */
let blackholed: string | null = null;

afterEach(async () => {
  if (blackholed !== null) spawnSync('ip', ['route', 'del', 'blackhole', blackholed]);
  blackholed = null;
  await cluster?.destroy();
  cluster = null;
});

async function fresh(extraYaml?: string): Promise<Cluster> {
  cluster = await startCluster({ prefix: PREFIX, subnet: SUBNET, ...(extraYaml !== undefined ? { extraYaml } : {}) });
  return cluster;
}

function report(t: TestContext, r: FaultResult): void {
  t.diagnostic(`${r.fault}: ${r.oldWriter} -> ${r.newWriter}; client-visible ${r.recoveryMs ?? 'none'} ms, new writer ready ${r.writerReadyMs ?? '?'} ms, window ${r.windowMs ?? '?'} ms, longest outage ${r.outageMs ?? '?'} ms; client errors ${r.clientErrors}; acked ${r.acked}, lost ${r.lost.length}, duplicates ${r.duplicates}; split-brain samples ${r.sampler.splitBrainSamples}/${r.sampler.samples}; converged in ${r.convergeMs} ms`);
}

/** The invariants of every failover scenario; `t` (optional) gets a diagnostic when the killed writer kept unshipped commits. */
function assertInvariants(r: FaultResult, newWriter: string, t?: TestContext): void {
  if (r.unshippedOnOldWriter.length > 0) {
    const line = `${r.oldWriter} kept commits it never shipped nor acknowledged (async replication's window): ids ${r.unshippedOnOldWriter.join(',')}; ${r.oldWriterNote ?? ''}`;
    if (t !== undefined) t.diagnostic(line); else console.log(line);
  }
  assert.equal(r.sampler.splitBrainSamples, 0, `two writers in ${r.sampler.splitBrainSamples} samples, first ${JSON.stringify(r.sampler.firstSplitBrain)}`);
  assert.deepEqual(r.lost, [], 'acknowledged writes lost');
  assert.equal(r.duplicates, 0, 'duplicated rows');
  assert.equal(r.newWriter, newWriter, 'the new writer');
  assert.notEqual(r.recoveryMs, null, 'writes resumed on the new writer');
  assert.ok(r.converged, `hosts differ after convergence: ${JSON.stringify(r.checksums)}${r.divergence === null ? '' : `\n${formatDivergence(r.divergence)}`}`);
}

/** After a scenario without a failover: every acked id on every host, checksums equal. */
async function assertData(c: Cluster, client: WriteClient, sampler: SamplerSummary): Promise<void> {
  assert.equal(sampler.splitBrainSamples, 0, `two writers in ${sampler.splitBrainSamples} samples`);
  await c.rig.waitReplicationIdle(20_000);
  const acked = client.acked();
  const sums = new Set<string>();
  for (const h of c.rig.hosts) {
    const rows = await c.rig.sql(h.name, 'SELECT id FROM app.writes');
    const ids = new Set(rows.map((r) => Number(r['id'])));
    assert.deepEqual(acked.filter((id) => !ids.has(id)), [], `${h.name} lacks acknowledged writes`);
    assert.equal(rows.length, ids.size, `${h.name} has duplicated rows`);
    sums.add(String((await c.rig.sql(h.name, 'CHECKSUM TABLE app.writes'))[0]?.['Checksum']));
  }
  assert.equal(sums.size, 1, 'checksums differ');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fault suite', () => {
  test('writer mysqld killed (kill -9): db2 takes over', async (t) => {
    const r = await runFault(await fresh(), 'kill');
    report(t, r);
    assertInvariants(r, 'db2', t);
  });

  test('writer mysqld hung (SIGSTOP): db2 takes over, db1 is read-only after SIGCONT', async (t) => {
    const c = await fresh();
    const r = await runFault(c, 'hang');
    report(t, r);
    assertInvariants(r, 'db2', t);
    await eventually(async () => String((await c.rig.sql('db1', 'SELECT @@read_only AS ro'))[0]?.['ro']), (v) => v === '1', { timeoutMs: 10_000 });
  });

  test('writer host link down: the isolated writer fences itself, db2 is promoted only after', async (t) => {
    const c = await fresh();
    const r = await runFault(c, 'linkdown');
    report(t, r);
    assertInvariants(r, 'db2', t);
    const fenced = c.agents.logFile('db1');
    t.diagnostic(`db1 agent log: ${fenced}`);
    assert.equal(String((await c.rig.sql('db1', 'SELECT @@read_only AS ro'))[0]?.['ro']), '1', 'the old writer fenced itself');
  });

  test('planned switchover under load (move_role writer db2): no write lost, window reported', async (t) => {
    const r = await runFault(await fresh(), 'switchover', { target: 'db2' });
    report(t, r);
    t.diagnostic(`move_role: ${r.moveReply ?? '-'}`);
    assert.match(r.moveReply ?? '', /^OK: /, 'move_role succeeded');
    assertInvariants(r, 'db2', t);
  });

  test('passive master dead, then writer dead: nobody is promoted over missing data; db1 returns as writer', async (t) => {
    const c = await fresh();
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 20 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    await c.rig.killMysqld('db2');
    await eventually(() => c.show(), (s) => s['db2']?.state === 'HARD_OFFLINE', { timeoutMs: 10_000 });
    const before = client.acked().length;
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= before + 10, { timeoutMs: 10_000 });
    await c.rig.killMysqld('db1');
    await sleep(3_000);
    assert.equal(await c.writer(), '', 'no writer: db2 is down and db3 cannot be one');
    await c.rig.startMysqld('db2');
    await sleep(3_000);
    const show = await c.monitor.control('show', 5_000);
    t.diagnostic(show.replace(/\n/g, ' | '));
    assert.notEqual(await c.writer(), 'db2', 'db2 lacks the writes db1 took while it was down: never promoted');
    await c.rig.startMysqld('db1');
    await eventually(() => c.writer(), (w) => w === 'db1', { timeoutMs: 20_000 });
    await c.waitWriter('db1');
    const after = client.acked().length;
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= after + 10, { timeoutMs: 15_000 });
    await client.stop();
    await assertData(c, client, await sampler.stop());
  });

  test('agent killed on the writer, MySQL fine: no failover, writes go on, show warns', async (t) => {
    const c = await fresh();
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 20 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    await c.agents.stop('db1');
    await sleep(4_000);
    const show = await c.monitor.control('show', 5_000);
    t.diagnostic(show.replace(/\n/g, ' | '));
    assert.match(show, /# Warning: agent on host db1 is not reachable/);
    assert.equal(await c.writer(), 'db1');
    const errors = client.records.filter((r) => !r.ok).length;
    await c.agents.start('db1');
    await sleep(1_000);
    await client.stop();
    t.diagnostic(`client errors while the writer's agent was down: ${errors}`);
    assert.equal(errors, 0, 'writes were refused while only the agent was down');
    await assertData(c, client, await sampler.stop());
  });

  test('monitor killed for longer than the writer lease, then restarted: the writer keeps writing, nothing moves', async (t) => {
    const c = await fresh();
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 20 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    const showBefore = await c.monitor.control('show', 5_000);
    await c.monitor.stop('SIGKILL');
    const killedAt = Date.now();
    await sleep(5_000);
    const during = client.records.filter((r) => r.t >= killedAt);
    assert.ok(during.length > 50, 'the client kept writing');
    assert.equal(during.filter((r) => !r.ok).length, 0, 'no write failed while the monitor was down (the writer did not fence itself)');
    await c.restartMonitor();
    await sleep(2_000);
    assert.equal(await c.monitor.control('show', 5_000), showBefore, 'show is the same after the restart');
    await client.stop();
    await assertData(c, client, await sampler.stop());
    t.diagnostic(`writes during the monitor outage: ${during.length}, all acknowledged`);
  });

  test('monitor cut off from the writer only (the agents still reach it): no failover, the writer keeps writing', async (t) => {
    const c = await fresh();
    const db1 = c.rig.host('db1').ip;
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 20 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    // The monitor runs in the root namespace: a blackhole route there cuts only its path to db1
    // (the agents, the client and the sampler do not route through it).
    const route = ['route', 'add', 'blackhole', `${db1}/32`];
    const added = spawnSync('ip', route, { encoding: 'utf8' });
    assert.equal(added.status, 0, `ip ${route.join(' ')}: ${added.stderr}`);
    blackholed = `${db1}/32`;
    const cutAt = Date.now();
    let during: { ok: boolean }[] = [];
    try {
      // Three leases and margins (default writer_lease 3s, margin 1s): long past any fence or promotion.
      await sleep(12_000);
      during = client.records.filter((r) => r.t >= cutAt);
      const show = await c.monitor.control('show', 5_000);
      t.diagnostic(show.replace(/\n/g, ' | '));
      assert.equal(await c.writer(), 'db1', 'the monitor did not fail over');
      assert.equal(await c.rig.hasVip('db1', c.rig.writerVip), true, 'db1 kept the writer VIP');
      assert.equal(String((await c.rig.sql('db1', 'SELECT @@read_only AS ro'))[0]?.['ro']), '0', 'db1 is still writable');
      const held = c.monitor.logs().filter((l) => l['event'] === 'loop.outcome' && l['block'] === 'WRITER_STILL_SEEN_BY_REPLICAS');
      assert.ok(held.length > 0, 'the monitor said its own path to the writer is suspect');
      t.diagnostic(String(held[0]?.['msg']));
    } finally {
      spawnSync('ip', ['route', 'del', 'blackhole', `${db1}/32`]);
    }
    assert.ok(during.length > 300, `the client kept writing (${during.length} writes in 12 s)`);
    assert.equal(during.filter((r) => !r.ok).length, 0, 'no write failed: the writer did not fence itself');
    await sleep(3_000);
    assert.equal(await c.writer(), 'db1', 'nothing moved after the path healed');
    await client.stop();
    await assertData(c, client, await sampler.stop());
  });

  test('monitor killed in the middle of a failover, then restarted: it converges to one writer', async (t) => {
    const c = await fresh();
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 20 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    await c.rig.killMysqld('db1');
    await sleep(150);
    await c.monitor.stop('SIGKILL');
    await sleep(1_000);
    await c.restartMonitor();
    await eventually(() => c.writer(), (w) => w === 'db2', { timeoutMs: 20_000 });
    await c.waitWriter('db2');
    const at = client.acked().length;
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= at + 10, { timeoutMs: 15_000 });
    await client.stop();
    await c.rig.startMysqld('db1');
    const s = await sampler.stop();
    assert.equal(s.splitBrainSamples, 0);
    await c.rig.waitReplicationIdle(20_000);
    const rows = await c.rig.sql('db2', 'SELECT id FROM app.writes');
    const ids = new Set(rows.map((r) => Number(r['id'])));
    assert.deepEqual(client.acked().filter((id) => !ids.has(id)), [], 'acknowledged writes lost');
    t.diagnostic((await c.monitor.control('history 1', 5_000)).split('\n').slice(0, 3).join(' | '));
  });

  test('a replica lagging beyond max_backlog goes REPLICATION_DELAY, loses its reader role, and comes back', async (t) => {
    const c = await fresh('checks:\n  rep_backlog: { interval: 250ms, trap: 500ms, timeout: 400ms, max_backlog: 2s }\n');
    const sampler = await startSplitBrainSampler(c.rig);
    const client = startWriteClient(c.rig, { intervalMs: 50 });
    await c.rig.sql('db3', 'STOP SLAVE');
    await c.rig.sql('db3', 'CHANGE MASTER TO MASTER_DELAY = 6');
    await c.rig.sql('db3', 'START SLAVE');
    // MMM's rule: replication problems are not judged for 60 s after the peer (here the writer) came
    // ONLINE, which in a fresh cluster is its start.
    const s = await eventually(() => c.show(), (x) => x['db3']?.state === 'REPLICATION_DELAY', { timeoutMs: 90_000, intervalMs: 250 });
    t.diagnostic(`db3: ${JSON.stringify(s['db3'])}`);
    assert.deepEqual(s['db3']?.roles, [], 'a delayed replica holds no reader role');
    await c.rig.sql('db3', 'STOP SLAVE');
    await c.rig.sql('db3', 'CHANGE MASTER TO MASTER_DELAY = 0');
    await c.rig.sql('db3', 'START SLAVE');
    await eventually(() => c.show(), (x) => x['db3']?.state === 'ONLINE', { timeoutMs: 20_000 });
    await client.stop();
    await assertData(c, client, await sampler.stop());
  });
});
