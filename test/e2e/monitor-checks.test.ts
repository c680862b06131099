// The monitor's checks against a real 3-host MariaDB rig (prefix mc1, 10.200.30.0/24): each failure
// a client can see — a killed mysqld (refused), a hung one (SIGSTOP: connects, handshake hangs), a
// host off the network (timeouts), a stopped SQL thread — is reported by the right check with the
// right kind, and everything comes back. Detection times are logged as diagnostics, never asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '@mmm-ts/protocol';
import { loadConfig } from '@mmm-ts/protocol/config';
import { createCheckRunner, type CheckRunner, type HostCheckView } from '@mmm-ts/monitor';
import { createRig, type Rig } from '../rig/index.js';
import { eventually } from '../lib/eventually.js';

// The defaults recommended for the loader (see docs/monitor-checks.md).
const CHECKS = [
  'checks:',
  '  ping: { interval: 250ms, trap: 1s, timeout: 400ms }',
  '  mysql: { interval: 250ms, trap: 1s, timeout: 400ms }',
  '  rep_threads: { interval: 500ms, trap: 1s, timeout: 400ms }',
  '  rep_backlog: { interval: 500ms, trap: 1s, timeout: 400ms, max_backlog: 60s }',
].join('\n');

let rig: Rig;
let runner: CheckRunner;

before(async () => {
  rig = await createRig({ prefix: 'mc1', subnet: 30, hosts: 3 });
  const loaded = await loadConfig(await rig.writeClusterYaml({ extra: CHECKS }));
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.error));
  runner = createCheckRunner(loaded.value, { logger: silentLogger });
  runner.start();
});
after(async () => {
  await runner?.stop();
  await rig?.destroy();
});

const view = (host: string): HostCheckView | undefined => runner.observe(Date.now())[host];
const allOk = (v: HostCheckView | undefined): boolean => v !== undefined && Object.values(v.checks).every((c) => c === 'ok');

/** Waits until `done` holds for the host's view; returns it and how long it took (ms) from `since`. */
async function waitView(host: string, done: (v: HostCheckView) => boolean, since: number, timeoutMs = 15_000): Promise<{ v: HostCheckView; ms: number }> {
  const v = await eventually(() => Promise.resolve(view(host)), (x) => x !== undefined && done(x), { timeoutMs, intervalMs: 5 });
  assert.ok(v !== undefined);
  return { v, ms: Math.round(performance.now() - since) };
}

test('a healthy rig: every check of every host is ok, the network self-check too', async () => {
  await runner.settled();
  for (const h of ['db1', 'db2', 'db3']) await waitView(h, allOk, performance.now());
  assert.equal(runner.networkOk(), true);
  const db3 = view('db3');
  assert.equal(db3?.replica?.sourceHost, rig.host('db1').ip);
  assert.equal(db3?.replica?.ioRunning, true);
  assert.equal(typeof db3?.lagS, 'number');
  assert.equal(runner.rows().length, 12);
});

test('a stopped SQL thread fails rep_threads and rep_backlog (NULL lag is not "no lag"); restarting it recovers', async (t) => {
  const t0 = performance.now();
  await rig.sql('db3', 'STOP SLAVE SQL_THREAD');
  try {
    const { v, ms } = await waitView('db3', (x) => x.checks.repThreads === 'fail' && x.checks.repBacklog === 'fail', t0);
    t.diagnostic(`SQL thread stopped -> rep_threads fail in ${ms} ms`);
    assert.equal(v.checks.mysql, 'ok');
    assert.equal(v.replica?.sqlRunning, false);
    assert.equal(v.lagS, null);
  } finally {
    await rig.sql('db3', 'START SLAVE SQL_THREAD');
  }
  await waitView('db3', allOk, performance.now());
});

test('SIGSTOP (hung server): mysql fails with kind timeout after the trap, ping stays ok; SIGCONT recovers', async (t) => {
  const t0 = performance.now();
  await rig.stopMysqld('db3');
  try {
    const { v, ms } = await waitView('db3', (x) => x.checks.mysql === 'fail', t0);
    t.diagnostic(`SIGSTOP -> mysql fail (${v.details.mysql?.kind}) in ${ms} ms`);
    assert.equal(v.details.mysql?.kind, 'timeout');
    assert.equal(v.checks.ping, 'ok');
  } finally {
    await rig.contMysqld('db3');
  }
  await waitView('db3', allOk, performance.now());
});

test('link down: ping and mysql fail as timeouts; link up recovers', async (t) => {
  const t0 = performance.now();
  await rig.linkDown('db3');
  try {
    const { v, ms } = await waitView('db3', (x) => x.checks.mysql === 'fail' && x.checks.ping === 'fail', t0);
    t.diagnostic(`link down -> ping and mysql fail in ${ms} ms (ping ${v.details.ping?.kind}: ${v.details.ping?.message}; mysql ${v.details.mysql?.kind})`);
    assert.equal(v.details.ping?.kind, 'timeout');
    assert.equal(v.details.mysql?.kind, 'timeout');
    assert.equal(allOk(view('db2')), true, 'other hosts unaffected');
  } finally {
    await rig.linkUp('db3');
  }
  await waitView('db3', allOk, performance.now(), 30_000);
});

test('kill -9 of the writer mysqld: mysql fails with kind refused within the refusal trap, ping stays ok', async (t) => {
  for (let round = 1; round <= 3; round++) {
    const t0 = performance.now();
    await rig.killMysqld('db1');
    const { v, ms } = await waitView('db1', (x) => x.checks.mysql === 'fail', t0);
    t.diagnostic(`kill -9 round ${round} -> mysql fail (${v.details.mysql?.kind}) in ${ms} ms`);
    assert.equal(v.details.mysql?.kind, 'refused');
    assert.equal(v.checks.ping, 'ok', 'the host is up: its kernel refused');
    await rig.startMysqld('db1');
    await waitView('db1', (x) => x.checks.mysql === 'ok' && x.checks.repThreads === 'ok', performance.now());
  }
});
