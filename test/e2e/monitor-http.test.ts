// The monitor's HTTP status API on a real 3-host cluster (prefix mh1, 10.200.41.0/24): monitor.http on
// the bridge address, status and metrics while healthy, then a kill -9 of the writer's mysqld and the
// failover seen through /api/v1/history and mmm_failovers_total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../lib/cluster.js';
import { eventually } from '../lib/eventually.js';

const HTTP = '10.200.41.1:9990';
const BASE = `http://${HTTP}`;

interface PromSample { readonly value?: string; readonly labels?: Readonly<Record<string, string>> }
interface PromFamily { readonly name: string; readonly type: string; readonly metrics: readonly PromSample[] }
interface HostDoc { name: string; state: string; roles: { role: string }[]; agent: { reachable: boolean }; checks: Record<string, { state: string }> }
interface StatusDoc { cluster: string; mode: string; writer: string | null; hosts: HostDoc[]; lastFailover: { id: string } | null; outcome: { code: string } }
interface Move { id: string; kind: string; oldWriter: string; newWriter: string; outcome: string; durationMs: number }

// parse-prometheus-text-format has no types; the module name through a variable keeps tsc from asking.
const PARSER = 'parse-prometheus-text-format';
async function metrics(): Promise<Map<string, PromFamily>> {
  const res = await fetch(`${BASE}/metrics`);
  assert.equal(res.status, 200);
  const parse = ((await import(PARSER)) as { default: (text: string) => PromFamily[] }).default;
  return new Map(parse(await res.text()).map((f) => [f.name, f]));
}
const series = (m: Map<string, PromFamily>, name: string, labels: Record<string, string>): PromSample[] =>
  (m.get(name)?.metrics ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
const total = (m: Map<string, PromFamily>, name: string, labels: Record<string, string>): number =>
  series(m, name, labels).reduce((a, s) => a + Number(s.value), 0);

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

let cluster: Cluster | undefined;
const c = (): Cluster => { if (cluster === undefined) throw new Error('no cluster'); return cluster; };

before(async () => {
  cluster = await startCluster({ prefix: 'mh1', subnet: 41, monitorHttp: HTTP });
});
after(async () => {
  await cluster?.destroy();
});

test('status: db1 is the writer, every host ONLINE with a reachable agent and passing checks', async () => {
  const s = await eventually(() => getJson<StatusDoc>('/api/v1/status'), (d) => d.hosts.every((h) => h.checks['mysql']?.state === 'ok'), { timeoutMs: 10_000, intervalMs: 100 });
  assert.equal(s.cluster, 'mh1');
  assert.equal(s.mode, 'ACTIVE');
  assert.equal(s.writer, 'db1');
  assert.deepEqual(s.hosts.map((h) => `${h.name}:${h.state}:${String(h.agent.reachable)}`), ['db1:ONLINE:true', 'db2:ONLINE:true', 'db3:ONLINE:true']);
  assert.ok(s.hosts.find((h) => h.name === 'db1')?.roles.some((r) => r.role === 'writer'));
  assert.equal(s.lastFailover, null);
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
  const post = await fetch(`${BASE}/api/v1/status`, { method: 'POST', body: '{}' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET');
});

test('metrics: parse, a host state for every host, the writer, agent request timings, no failover yet', async () => {
  const m = await metrics();
  for (const h of c().rig.hosts) {
    assert.equal(total(m, 'mmm_host_state', { cluster: 'mh1', host: h.name, state: 'ONLINE' }), 1, h.name);
    assert.equal(total(m, 'mmm_host_state', { host: h.name }), 1, `${h.name}: exactly one state is 1`);
    assert.equal(total(m, 'mmm_agent_reachable', { host: h.name }), 1, h.name);
    assert.equal(total(m, 'mmm_check_ok', { host: h.name, check: 'ping' }), 1, h.name);
  }
  assert.deepEqual(series(m, 'mmm_writer_info', {}).map((s) => s.labels?.['host']), ['db1']);
  assert.equal(m.get('mmm_agent_command_duration_seconds')?.type, 'HISTOGRAM');
  assert.equal(total(m, 'mmm_failovers_total', { kind: 'failover' }), 0);
  assert.equal(m.get('process_resident_memory_bytes')?.type, 'GAUGE');
});

test('kill -9 of the writer: history has the failover record and mmm_failovers_total increased', async () => {
  await c().rig.killMysqld('db1');
  await c().waitWriter('db2', 30_000);
  const h = await eventually(() => getJson<{ records: Move[] }>('/api/v1/history?n=5'), (d) => d.records.length > 0, { timeoutMs: 10_000, intervalMs: 100 });
  const rec = h.records.at(-1);
  assert.equal(rec?.kind, 'failover');
  assert.equal(rec?.oldWriter, 'db1');
  assert.equal(rec?.newWriter, 'db2');
  assert.equal(rec?.outcome, 'promoted');
  const m = await metrics();
  assert.equal(total(m, 'mmm_failovers_total', { kind: 'failover', outcome: 'promoted' }), 1);
  assert.deepEqual(series(m, 'mmm_writer_info', {}).map((s) => s.labels?.['host']), ['db2']);
  assert.equal(total(m, 'mmm_host_state', { host: 'db1', state: 'ONLINE' }), 0);
  const s = await getJson<StatusDoc>('/api/v1/status');
  assert.equal(s.writer, 'db2');
  assert.equal(s.lastFailover?.id, rec?.id);
});
