import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mmm-ts/protocol';
import { loadConfig, type ClusterConfig } from '@mmm-ts/protocol/config';
import { startMonitor } from '../../src/daemon/daemon.js';
import type { StatusDoc } from '../../src/http/index.js';
import { FakeChecks, fakeTransport, okAnswers } from '../daemon/fakes.js';
import { histogram, parseMetrics } from './fake-source.js';

type After = { after: (fn: () => Promise<void>) => void };

/** A three-host config on loopback, control and HTTP on free ports (or `httpPort`). */
async function config(t: After, httpPort: number | null): Promise<ClusterConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'mmm-http-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'cluster.yaml');
  await writeFile(path, [
    'cluster: h1', 'active_master_role: writer',
    'monitor:', `  status_path: ${JSON.stringify(join(dir, 'mmm.status'))}`,
    'host_defaults: { agent_user: a, agent_password: p, monitor_user: m, monitor_password: p, replication_user: r, replication_password: p }',
    'hosts:',
    '  db1: { ip: 127.0.0.11, mode: master, peer: db2 }', '  db2: { ip: 127.0.0.12, mode: master, peer: db1 }', '  db3: { ip: 127.0.0.13, mode: slave }',
    'roles:', '  writer: { mode: exclusive, hosts: [db1, db2], ips: [127.0.0.50] }', '  reader: { mode: balanced, hosts: [db1, db2, db3], ips: [127.0.0.51] }',
    'security: { secret: s3cret-s3cret-s3cret }', '',
  ].join('\n'), { mode: 0o600 });
  const loaded = await loadConfig(path);
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.error));
  const cfg = loaded.value;
  return { ...cfg, monitor: { ...cfg.monitor, ip: '127.0.0.1', port: 0, pingIps: [], http: httpPort === null ? null : { host: '127.0.0.1', port: httpPort } } };
}

test('startMonitor with monitor.http: status and metrics served, agent requests timed, listener closed on stop', async (t) => {
  const cfg = await config(t, 0);
  const { transport } = fakeTransport((_h, line) => okAnswers(line), Date.now);
  const started = await startMonitor(cfg, { logger: silentLogger, checks: () => new FakeChecks(), transport });
  assert.ok(started.ok, JSON.stringify(!started.ok && started.error));
  const mon = started.value;
  let stopped = false;
  t.after(async () => { if (!stopped) await mon.stop(); });
  assert.ok(mon.httpPort !== null && mon.httpPort > 0);
  const base = `http://127.0.0.1:${mon.httpPort}`;
  const doc = (await (await fetch(`${base}/api/v1/status`)).json()) as StatusDoc;
  assert.equal(doc.cluster, 'h1');
  assert.deepEqual(doc.hosts.map((h) => h.name), ['db1', 'db2', 'db3']);
  const f = parseMetrics(await (await fetch(`${base}/metrics`)).text());
  // Startup asked every agent for its status through the wrapped transport.
  assert.ok(histogram(f, 'mmm_agent_command_duration_seconds', { cluster: 'h1', host: 'db1', command: 'GET_AGENT_STATUS' }).count >= 1);
  await mon.stop();
  stopped = true;
  await assert.rejects(fetch(`${base}/healthz`));
});

test('startMonitor without monitor.http: no HTTP listener', async (t) => {
  const cfg = await config(t, null);
  const { transport } = fakeTransport((_h, line) => okAnswers(line), Date.now);
  const started = await startMonitor(cfg, { logger: silentLogger, checks: () => new FakeChecks(), transport });
  assert.ok(started.ok);
  t.after(() => started.value.stop());
  assert.equal(started.value.httpPort, null);
});

test('startMonitor: an HTTP address in use is MONITOR_LISTEN_FAILED naming monitor.http', async (t) => {
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => busy.close(() => r())));
  const port = (busy.address() as net.AddressInfo).port;
  const cfg = await config(t, port);
  const { transport } = fakeTransport((_h, line) => okAnswers(line), Date.now);
  const started = await startMonitor(cfg, { logger: silentLogger, checks: () => new FakeChecks(), transport });
  assert.equal(started.ok, false);
  if (!started.ok) {
    assert.equal(started.error.code, 'MONITOR_LISTEN_FAILED');
    assert.match(started.error.message, new RegExp(`HTTP on 127\\.0\\.0\\.1:${port} \\(monitor\\.http\\)`));
  }
});
