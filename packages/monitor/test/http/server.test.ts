import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { silentLogger } from '@mmm-ts/protocol';
import { createMonitorMetrics, startHttpListener, type HttpListener, type HttpSource, type StatusDoc } from '../../src/http/index.js';
import { T0 } from '../core/fixture.js';
import { fakeSource, moveRecord, parseMetrics, samples, typeOf, value } from './fake-source.js';

type After = { after: (fn: () => Promise<void>) => void };

async function serve(t: After, src: HttpSource = fakeSource(), headersTimeoutMs = 5_000): Promise<HttpListener> {
  const metrics = createMonitorMetrics({ cluster: 'c1', processMetrics: false });
  const r = await startHttpListener({ host: '127.0.0.1', port: 0, source: src, metrics, logger: silentLogger, headersTimeoutMs });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  t.after(() => r.value.close());
  return r.value;
}

const url = (l: HttpListener, path: string): string => `http://127.0.0.1:${l.port}${path}`;

/** Sends raw bytes and returns everything the server answers before closing. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    s.on('data', (d: Buffer) => { got += d.toString('latin1'); });
    s.on('error', reject);
    s.on('close', () => resolve(got));
  });
}

test('GET /api/v1/status: the status document as JSON', async (t) => {
  const src = fakeSource();
  src.records = [moveRecord('failover-1', T0)];
  const l = await serve(t, src);
  const res = await fetch(url(l, '/api/v1/status'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const doc = (await res.json()) as StatusDoc;
  assert.equal(doc.cluster, 'c1');
  assert.equal(doc.writer, 'db1');
  assert.deepEqual(doc.hosts.map((h) => `${h.name}:${h.state}:${String(h.agent.reachable)}`), ['db1:ONLINE:true', 'db2:ONLINE:true', 'db3:ONLINE:false']);
  assert.equal(doc.lastFailover?.id, 'failover-1');
});

test('GET /api/v1/history: n records (default 20), a bad n is a 400 with a code', async (t) => {
  const src = fakeSource();
  src.records = Array.from({ length: 25 }, (_, i) => moveRecord(`failover-${i}`, T0 + i));
  const l = await serve(t, src);
  const all = (await (await fetch(url(l, '/api/v1/history'))).json()) as { records: { id: string }[] };
  assert.equal(all.records.length, 20);
  assert.equal(all.records.at(-1)?.id, 'failover-24');
  const two = (await (await fetch(url(l, '/api/v1/history?n=2'))).json()) as { records: { id: string }[] };
  assert.deepEqual(two.records.map((r) => r.id), ['failover-23', 'failover-24']);
  const bad = await fetch(url(l, '/api/v1/history?n=zero'));
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'HTTP_BAD_PARAMETER');
});

test('GET /metrics: Prometheus text that parses, with the expected families and labels', async (t) => {
  const l = await serve(t);
  const res = await fetch(url(l, '/metrics'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const f = parseMetrics(await res.text());
  for (const name of ['mmm_host_state', 'mmm_host_online', 'mmm_role_holder', 'mmm_check_ok', 'mmm_agent_reachable', 'mmm_monitor_mode', 'mmm_writer_info']) {
    assert.equal(typeOf(f, name), 'GAUGE', name);
  }
  assert.equal(typeOf(f, 'mmm_failovers_total'), 'COUNTER');
  assert.equal(typeOf(f, 'mmm_agent_command_duration_seconds'), 'HISTOGRAM');
  assert.equal(typeOf(f, 'mmm_failover_duration_seconds'), 'HISTOGRAM');
  assert.equal(value(f, 'mmm_host_state', { cluster: 'c1', host: 'db2', state: 'ONLINE' }), 1);
  assert.deepEqual(samples(f, 'mmm_writer_info').map((s) => s.labels?.['host']), ['db1']);
});

test('GET /healthz: 200 ok', async (t) => {
  const l = await serve(t);
  const res = await fetch(url(l, '/healthz'));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok\n');
});

test('unknown paths are 404 JSON; other methods are 405 with Allow: GET and the body is never read', async (t) => {
  const l = await serve(t);
  for (const p of ['/', '/api/v1/statusx', '/api/v1/status/', '/metrics/../x', '/%zz']) {
    const res = await fetch(url(l, p));
    assert.equal(res.status, 404, p);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'HTTP_NOT_FOUND', p);
  }
  for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
    const res = await fetch(url(l, '/api/v1/status'), { method, ...(method === 'POST' || method === 'PUT' ? { body: 'x'.repeat(100_000) } : {}) });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get('allow'), 'GET', method);
  }
  const after = await fetch(url(l, '/healthz'));
  assert.equal(after.status, 200);
});

test('malformed and oversized requests get an HTTP error and the listener keeps serving', async (t) => {
  const l = await serve(t);
  assert.match(await raw(l.port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 /);
  assert.match(await raw(l.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
  assert.match(await raw(l.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200 [\s\S]*\r\n\r\nok\n$/);
});

test('a client that never finishes its headers is disconnected', async (t) => {
  const l = await serve(t, fakeSource(), 300);
  const got = await raw(l.port, 'GET /api/v1/status HTTP/1.1\r\nHost: x\r\n');
  assert.match(got, /^HTTP\/1\.1 408 /);
});

test('a failing source is a 500 JSON answer, not a crash', async (t) => {
  const src = fakeSource();
  src.state = () => { throw new Error('boom'); };
  const l = await serve(t, src);
  for (const p of ['/api/v1/status', '/metrics']) {
    const res = await fetch(url(l, p));
    assert.equal(res.status, 500, p);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'HTTP_INTERNAL');
  }
  assert.equal((await fetch(url(l, '/healthz'))).status, 200);
});

test('a port in use is HTTP_LISTEN_FAILED naming the address', async (t) => {
  const l = await serve(t);
  const r = await startHttpListener({
    host: '127.0.0.1', port: l.port, source: fakeSource(), metrics: createMonitorMetrics({ cluster: 'c1', processMetrics: false }), logger: silentLogger,
  });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'HTTP_LISTEN_FAILED');
    assert.match(r.error.message, new RegExp(`127\\.0\\.0\\.1:${l.port}.*EADDRINUSE`));
  }
});
