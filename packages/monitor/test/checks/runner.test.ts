import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import type { HostConfig } from '@mmm-ts/protocol/config';
import { createCheckRunner, URGENT_MIN_GAP_MS, type CheckRunner, type ProbeKind, type ProbeResult, type ProbeSet } from '../../src/checks/index.js';
import type { CheckName } from '../../src/core/index.js';
import { FAST_CHECKS, VirtualTime, result, testConfig } from './fakes.js';

type Behaviour = (host: string, n: number) => { kind: ProbeKind; takesMs?: number; data?: Record<string, unknown> };

interface Harness {
  readonly vt: VirtualTime;
  readonly runner: CheckRunner;
  readonly calls: Map<string, number>;
  readonly changes: () => number;
  readonly maxConcurrent: Map<string, number>;
  state(host: string, check: CheckName): string;
}

/** A runner over fake probes; `behaviour[check]` decides each probe (default: ok at once). */
function harness(behaviour: Partial<Record<CheckName, Behaviour>>, opts: { checks?: string; pingIps?: string; network?: ProbeSet['network'] } = {}): Harness {
  const vt = new VirtualTime();
  const calls = new Map<string, number>();
  const running = new Map<string, number>();
  const maxConcurrent = new Map<string, number>();
  let changes = 0;
  const fake = (check: CheckName) => async (h: HostConfig, _timeoutMs: number): Promise<ProbeResult> => {
    const key = `${h.name}/${check}`;
    const n = calls.get(key) ?? 0;
    calls.set(key, n + 1);
    running.set(key, (running.get(key) ?? 0) + 1);
    maxConcurrent.set(key, Math.max(maxConcurrent.get(key) ?? 0, running.get(key) ?? 0));
    const startedAt = vt.now();
    const b = behaviour[check]?.(h.name, n) ?? { kind: 'ok' as const };
    if (b.takesMs !== undefined) await vt.sleep(b.takesMs);
    running.set(key, (running.get(key) ?? 1) - 1);
    return result(b.kind, startedAt, b.data);
  };
  const runner = createCheckRunner(testConfig(opts.checks ?? FAST_CHECKS, opts.pingIps ?? '[]'), {
    logger: silentLogger,
    now: vt.now,
    timers: vt.timers,
    onChange: () => { changes++; },
    probes: {
      ping: fake('ping'),
      mysql: fake('mysql'),
      repThreads: fake('repThreads'),
      repBacklog: fake('repBacklog'),
      ...(opts.network !== undefined ? { network: opts.network } : {}),
    },
  });
  return {
    vt, runner, calls, maxConcurrent,
    changes: () => changes,
    state: (host, check) => runner.rows().find((r) => r.host === host && r.check === check)?.state ?? 'missing',
  };
}

/** Stops the runner, advancing virtual time so probes in flight can return. */
async function stopAll(h: Harness): Promise<void> {
  const stopping = h.runner.stop();
  await h.vt.advance(10_000);
  await stopping;
}

const onlyDb1 = (kind: ProbeKind, takesMs?: number): Behaviour => (host) => (host === 'db1' ? { kind, ...(takesMs !== undefined ? { takesMs } : {}) } : { kind: 'ok' });

test('OK is reported at once, and onChange fires on changes only', async () => {
  const h = harness({});
  h.runner.start();
  await h.vt.advance(0);
  const view = h.runner.observe(h.vt.now());
  for (const host of ['db1', 'db2', 'db3']) {
    assert.deepEqual(view[host]?.checks, { ping: 'ok', mysql: 'ok', repThreads: 'ok', repBacklog: 'ok' });
  }
  assert.equal(h.changes(), 12, 'one change per host × check (unknown → ok)');
  await h.vt.advance(1000);
  assert.ok((h.calls.get('db1/mysql') ?? 0) >= 10, 'probes keep running every interval');
  assert.equal(h.changes(), 12, 'no further change, no further onChange');
  await stopAll(h);
});

test('a single slow probe (timeout) never trips a check', async () => {
  const h = harness({ mysql: (host, n) => (host === 'db1' && n === 3 ? { kind: 'timeout', takesMs: 1500 } : { kind: 'ok' }) });
  h.runner.start();
  await h.vt.advance(3000);
  assert.ok((h.calls.get('db1/mysql') ?? 0) > 5);
  assert.equal(h.state('db1', 'mysql'), 'ok');
  await stopAll(h);
});

test('one lost packet (a single ping timeout) does not trap', async () => {
  const h = harness({ ping: (host, n) => (host === 'db2' && n === 2 ? { kind: 'timeout', takesMs: 300 } : { kind: 'ok' }) });
  h.runner.start();
  await h.vt.advance(2500);
  assert.equal(h.state('db2', 'ping'), 'ok');
  await stopAll(h);
});

test('two refusals trap fast (refusal trap, not the full trap), with kind refused', async () => {
  const h = harness({ mysql: (host, n) => (host === 'db1' && n >= 2 ? { kind: 'refused' } : { kind: 'ok' }) });
  h.runner.start();
  await h.vt.advance(150); // probes at 0 and 100 ok; first refusal at 200
  assert.equal(h.state('db1', 'mysql'), 'ok');
  await h.vt.advance(60); // one refusal only
  assert.equal(h.state('db1', 'mysql'), 'ok', 'one refusal is not enough');
  await h.vt.advance(100); // second refusal 100 ms later
  assert.equal(h.state('db1', 'mysql'), 'fail', 'trapped well before the 1 s trap');
  assert.deepEqual(h.runner.observe(h.vt.now())['db1']?.details.mysql?.kind, 'refused');
  assert.equal(h.state('db2', 'mysql'), 'ok');
  await stopAll(h);
});

test('timeouts need the full trap period', async () => {
  const h = harness({ mysql: onlyDb1('timeout', 300) });
  h.runner.start();
  await h.vt.advance(800);
  assert.equal(h.state('db1', 'mysql'), 'unknown', 'never seen OK, not trapped yet');
  await h.vt.advance(1000);
  assert.equal(h.state('db1', 'mysql'), 'fail');
  assert.equal(h.runner.observe(h.vt.now())['db1']?.details.mysql?.kind, 'timeout');
  await stopAll(h);
});

test('a refusal followed by timeouts uses the full trap (only all-refused runs are fast)', async () => {
  const h = harness({ mysql: (host, n) => (host !== 'db1' || n === 0 ? { kind: 'ok' } : n === 1 ? { kind: 'refused' } : { kind: 'timeout', takesMs: 300 }) });
  h.runner.start();
  await h.vt.advance(600);
  assert.equal(h.state('db1', 'mysql'), 'ok');
  await h.vt.advance(1500);
  assert.equal(h.state('db1', 'mysql'), 'fail');
  await stopAll(h);
});

test('UNKNOWN changes nothing: ok stays ok, fail stays fail', async () => {
  const h = harness({
    mysql: (host, n) => (host === 'db1' ? { kind: n === 0 ? 'ok' : 'unknown' } : host === 'db2' ? { kind: n < 3 ? 'refused' : 'unknown' } : { kind: 'ok' }),
  });
  h.runner.start();
  await h.vt.advance(3000);
  assert.equal(h.state('db1', 'mysql'), 'ok');
  assert.equal(h.state('db2', 'mysql'), 'fail');
  await stopAll(h);
});

test('recovery is reported at once after a failure', async () => {
  const h = harness({ mysql: (host, n) => (host === 'db1' && n < 4 ? { kind: 'refused' } : { kind: 'ok' }) });
  h.runner.start();
  await h.vt.advance(250);
  assert.equal(h.state('db1', 'mysql'), 'fail');
  const before = h.changes();
  await h.vt.advance(500);
  assert.equal(h.state('db1', 'mysql'), 'ok');
  assert.equal(h.changes(), before + 1);
  await stopAll(h);
});

test('probes of one host × check never overlap, even with urgent requests', async () => {
  const h = harness({ mysql: () => ({ kind: 'ok', takesMs: 250 }) });
  h.runner.start();
  for (let i = 0; i < 20; i++) {
    await h.vt.advance(37);
    h.runner.urgent('db1');
  }
  for (const host of ['db1', 'db2', 'db3']) assert.equal(h.maxConcurrent.get(`${host}/mysql`), 1);
  await stopAll(h);
});

test('urgent() re-probes a host at once instead of waiting for the interval', async () => {
  const slow = FAST_CHECKS.replace(/interval: 100ms/g, 'interval: 10s');
  const h = harness({}, { checks: slow });
  h.runner.start();
  await h.vt.advance(1000);
  assert.equal(h.calls.get('db1/mysql'), 1);
  h.runner.urgent('db1');
  await h.vt.advance(URGENT_MIN_GAP_MS);
  for (const c of ['ping', 'mysql', 'repThreads', 'repBacklog']) assert.equal(h.calls.get(`db1/${c}`), 2, c);
  assert.equal(h.calls.get('db2/mysql'), 1, 'other hosts keep their schedule');
  await stopAll(h);
});

test('a hung host does not delay the others', async () => {
  const h = harness({ mysql: onlyDb1('timeout', 5000) });
  h.runner.start();
  await h.vt.advance(2000);
  assert.equal(h.calls.get('db1/mysql'), 1);
  assert.ok((h.calls.get('db2/mysql') ?? 0) >= 15);
  await h.vt.advance(5000);
  await stopAll(h);
});

test('observe() carries the latest replication summary and lag', async () => {
  const replica = { sourceHost: '10.9.9.11', sourcePort: 3306, ioRunning: true, ioState: 'running', sqlRunning: true, lagS: 3, caughtUp: false, gtidIoPos: '0-1-5', gtidApplied: '0-1-4', lastIoError: '', lastSqlError: '' };
  const h = harness({ repBacklog: () => ({ kind: 'ok', data: { replica } }), repThreads: () => ({ kind: 'ok', data: { replica } }) });
  h.runner.start();
  await h.vt.advance(0);
  const v = h.runner.observe(h.vt.now())['db3'];
  assert.deepEqual(v?.replica, replica);
  assert.equal(v?.lagS, 3);
  await stopAll(h);
});

test('networkOk: true without ping_ips; follows the self-check otherwise and fires onChange', async () => {
  const none = harness({});
  assert.equal(none.runner.networkOk(), true);
  await stopAll(none);

  let up = true;
  const h = harness({}, { pingIps: '[10.9.9.1]', network: () => Promise.resolve(up) });
  assert.equal(h.runner.networkOk(), false, 'not known before the first round');
  h.runner.start();
  await h.vt.advance(0);
  assert.equal(h.runner.networkOk(), true);
  const before = h.changes();
  up = false;
  await h.vt.advance(1000);
  assert.equal(h.runner.networkOk(), false);
  assert.equal(h.changes(), before + 1);
  await stopAll(h);
});

test('settled() resolves once every check ran once; stop() ends all probing', async () => {
  const h = harness({ mysql: () => ({ kind: 'ok', takesMs: 200 }) });
  h.runner.start();
  let settled = false;
  void h.runner.settled().then(() => { settled = true; });
  await h.vt.advance(100);
  assert.equal(settled, false);
  await h.vt.advance(150);
  assert.equal(settled, true);
  const stopping = h.runner.stop();
  await h.vt.advance(500);
  await stopping;
  const n = h.calls.get('db1/ping');
  await h.vt.advance(1000);
  assert.equal(h.calls.get('db1/ping'), n);
});

test('rows() lists every host × check with state, since and message', async () => {
  const h = harness({ repThreads: onlyDb1('error') });
  h.runner.start();
  await h.vt.advance(1500);
  const rows = h.runner.rows();
  assert.equal(rows.length, 12);
  const r = rows.find((x) => x.host === 'db1' && x.check === 'repThreads');
  assert.equal(r?.state, 'fail');
  assert.equal(r?.message, 'fake error');
  assert.equal(r?.lastKind, 'error');
  await stopAll(h);
});
