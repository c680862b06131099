import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentTransport } from '../../src/daemon/agents.js';
import { createMonitorMetrics } from '../../src/http/index.js';
import { T0, withState } from '../core/fixture.js';
import { fakeSource, histogram, moveRecord, parseMetrics, samples, typeOf, value } from './fake-source.js';

const EP = { ip: '10.0.0.11', port: 9989 };

test('metrics: host states one-hot, online, roles, writer, mode, outcome, network, with the cluster label', async () => {
  const src = fakeSource();
  src.st = withState(src.st, 'db3', 'REPLICATION_FAIL');
  const m = createMonitorMetrics({ cluster: 'c1', processMetrics: false });
  const f = parseMetrics(await m.render(src));
  assert.equal(typeOf(f, 'mmm_host_state'), 'GAUGE');
  for (const host of ['db1', 'db2', 'db3']) {
    const ones = samples(f, 'mmm_host_state', { host }).filter((s) => s.value === '1').map((s) => s.labels?.['state']);
    assert.deepEqual(ones, [host === 'db3' ? 'REPLICATION_FAIL' : 'ONLINE'], host);
    assert.ok(samples(f, 'mmm_host_state', { host }).length >= 5, 'one series per state');
  }
  assert.equal(value(f, 'mmm_host_online', { host: 'db1' }), 1);
  assert.equal(value(f, 'mmm_host_online', { host: 'db3' }), 0);
  assert.equal(value(f, 'mmm_role_holder', { role: 'writer', ip: '10.0.0.50', host: 'db1' }), 1);
  assert.equal(value(f, 'mmm_role_holder', { role: 'reader', ip: '10.0.0.53', host: 'db3' }), 1);
  assert.equal(value(f, 'mmm_role_orphaned', { role: 'writer', ip: '10.0.0.50' }), 0);
  assert.equal(value(f, 'mmm_writer_info', { host: 'db1' }), 1);
  assert.equal(value(f, 'mmm_writer_present'), 1);
  assert.equal(value(f, 'mmm_monitor_mode', { mode: 'ACTIVE' }), 1);
  assert.equal(value(f, 'mmm_monitor_mode', { mode: 'PASSIVE' }), 0);
  assert.equal(value(f, 'mmm_monitor_outcome', { code: 'NO_ACTION' }), 1);
  assert.equal(value(f, 'mmm_monitor_network_ok'), 1);
  assert.equal(value(f, 'mmm_failover_in_progress', { kind: 'failover' }), 0);
  for (const fam of f.flat.values()) for (const s of fam.metrics) assert.equal(s.labels?.['cluster'], 'c1', fam.name);
});

test('metrics: a moved writer replaces the old series instead of adding to them', async () => {
  const src = fakeSource();
  const m = createMonitorMetrics({ cluster: 'c1', processMetrics: false });
  await m.render(src);
  src.st = {
    ...withState(src.st, 'db1', 'HARD_OFFLINE'),
    roles: src.st.roles.map((r) => (r.host === 'db1' ? { ...r, host: 'db2' } : r)),
    failover: { id: 'failover-x', kind: 'failover', detection: 'WRITER_DEAD', from: 'db1', to: 'db2', startedAt: T0, intentId: null },
  };
  src.out = { code: 'FAILOVER_STARTED', sentence: 'db1 is dead', detection: 'WRITER_DEAD' };
  const f = parseMetrics(await m.render(src));
  assert.deepEqual(samples(f, 'mmm_writer_info').map((s) => s.labels?.['host']), ['db2']);
  assert.deepEqual(samples(f, 'mmm_role_holder', { role: 'writer' }).map((s) => s.labels?.['host']), ['db2']);
  assert.deepEqual(samples(f, 'mmm_monitor_outcome').map((s) => s.labels?.['code']), ['FAILOVER_STARTED']);
  assert.equal(value(f, 'mmm_failover_in_progress', { kind: 'failover' }), 1);
  assert.equal(value(f, 'mmm_host_online', { host: 'db1' }), 0);
});

test('metrics: an orphaned writer role and no writer', async () => {
  const src = fakeSource();
  src.st = { ...src.st, roles: src.st.roles.map((r) => (r.role === 'writer' ? { ...r, host: '' } : r)) };
  const f = parseMetrics(await createMonitorMetrics({ cluster: 'c1', processMetrics: false }).render(src));
  assert.equal(value(f, 'mmm_role_orphaned', { role: 'writer', ip: '10.0.0.50' }), 1);
  assert.equal(samples(f, 'mmm_role_holder', { role: 'writer' }).length, 0);
  assert.equal(samples(f, 'mmm_writer_info').length, 0);
  assert.equal(value(f, 'mmm_writer_present'), 0);
});

test('metrics: checks (ok, state one-hot, since, last duration when known) and agents', async () => {
  const src = fakeSource();
  const f = parseMetrics(await createMonitorMetrics({ cluster: 'c1', processMetrics: false }).render(src));
  assert.equal(value(f, 'mmm_check_ok', { host: 'db1', check: 'ping' }), 1);
  assert.equal(value(f, 'mmm_check_ok', { host: 'db3', check: 'mysql' }), 0);
  assert.equal(value(f, 'mmm_check_state', { host: 'db3', check: 'mysql', state: 'fail' }), 1);
  assert.equal(value(f, 'mmm_check_state', { host: 'db3', check: 'mysql', state: 'ok' }), 0);
  assert.equal(value(f, 'mmm_check_state_since_timestamp_seconds', { host: 'db3', check: 'mysql' }), (T0 + 5_000) / 1000);
  assert.equal(value(f, 'mmm_check_last_duration_seconds', { host: 'db1', check: 'ping' }), 0.002);
  assert.equal(samples(f, 'mmm_check_last_duration_seconds', { host: 'db3' }).length, 0, 'no duration reported: no series');
  assert.equal(value(f, 'mmm_agent_reachable', { host: 'db1' }), 1);
  assert.equal(value(f, 'mmm_agent_reachable', { host: 'db3' }), 0);
  assert.equal(value(f, 'mmm_agent_uptime_seconds', { host: 'db2' }), 2000);
});

test('metrics: agent request durations (histogram) and errors through the wrapped transport', async () => {
  const m = createMonitorMetrics({ cluster: 'c1', processMetrics: false });
  const inner: AgentTransport = (host) => Promise.resolve(host === 'db3'
    ? { ok: false, error: { code: 'CONNECT_REFUSED', message: 'refused' } }
    : { ok: true, value: 'OK: Pinged!|UP:1.00' });
  const t = m.wrapTransport(inner);
  for (const h of ['db1', 'db1', 'db3']) await t(h, EP, `PING|2.0|${h}`, { connectMs: 100, readMs: 100 });
  const f = parseMetrics(await m.render(fakeSource()));
  assert.equal(typeOf(f, 'mmm_agent_command_duration_seconds'), 'HISTOGRAM');
  const db1 = histogram(f, 'mmm_agent_command_duration_seconds', { host: 'db1', command: 'PING' });
  assert.equal(db1.count, 2);
  assert.equal(db1.bucket('+Inf'), 2);
  assert.equal(histogram(f, 'mmm_agent_command_duration_seconds', { host: 'db3', command: 'PING' }).count, 1);
  assert.equal(value(f, 'mmm_agent_command_errors_total', { host: 'db3', command: 'PING', kind: 'CONNECT_REFUSED' }), 1);
  assert.equal(samples(f, 'mmm_agent_command_errors_total', { host: 'db1' }).length, 0);
});

test('metrics: failovers counted once per record that ended since start, with durations by kind', async () => {
  const src = fakeSource();
  src.records = [moveRecord('failover-old', T0 - 10_000)]; // loaded from an earlier run: not counted
  const m = createMonitorMetrics({ cluster: 'c1', processMetrics: false, now: () => T0 });
  let f = parseMetrics(await m.render(src));
  assert.equal(typeOf(f, 'mmm_failovers_total'), 'COUNTER');
  assert.equal(typeOf(f, 'mmm_failover_duration_seconds'), 'HISTOGRAM');
  assert.equal(value(f, 'mmm_failovers_total', { kind: 'failover', outcome: 'promoted' }), 0);
  assert.equal(value(f, 'mmm_failovers_total', { kind: 'switchover', outcome: 'aborted' }), 0);
  assert.equal(histogram(f, 'mmm_failover_duration_seconds', { kind: 'failover' }).count, 0);
  assert.equal(value(f, 'mmm_last_failover_timestamp_seconds', { kind: 'failover' }), (T0 - 10_000) / 1000);

  src.records.push(moveRecord('failover-new', T0 + 5_000), moveRecord('switchover-1', T0 + 9_000, { kind: 'switchover', durationMs: 400 }));
  await m.render(src);
  f = parseMetrics(await m.render(src)); // a second scrape counts nothing twice
  assert.equal(value(f, 'mmm_failovers_total', { kind: 'failover', outcome: 'promoted' }), 1);
  assert.equal(value(f, 'mmm_failovers_total', { kind: 'switchover', outcome: 'promoted' }), 1);
  const d = histogram(f, 'mmm_failover_duration_seconds', { kind: 'failover' });
  assert.equal(d.count, 1);
  assert.equal(d.sum, 1.5);
  assert.equal(d.bucket('1'), 0);
  assert.equal(d.bucket('2'), 1);
  assert.equal(histogram(f, 'mmm_failover_duration_seconds', { kind: 'switchover' }).sum, 0.4);
  assert.equal(value(f, 'mmm_last_failover_timestamp_seconds', { kind: 'switchover' }), (T0 + 9_000) / 1000);
});

test('metrics: Node process metrics are on the private registry', async () => {
  const m = createMonitorMetrics({ cluster: 'c1' });
  const f = parseMetrics(await m.render(fakeSource()));
  assert.equal(typeOf(f, 'process_cpu_user_seconds_total'), 'COUNTER');
  assert.equal(typeOf(f, 'process_resident_memory_bytes'), 'GAUGE');
  assert.equal(typeOf(f, 'nodejs_eventloop_lag_seconds'), 'GAUGE');
  assert.equal(m.contentType, 'text/plain; version=0.0.4; charset=utf-8');
});
