// Split-brain safety on the agents (issue 7, docs/fencing.md): real mmm-agent processes on the as1
// rig (10.200.25.0/24), driven with raw extension lines as the monitor would send them. A monitor
// outage keeps the writer (failsafe); an isolated writer fences itself; CHECK_HOST gives the second
// opinion on db1's MySQL as db2 sees it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendRequest } from '@mmm-ts/protocol';
import { createRig, type Rig } from '../rig/index.js';
import { startAgents, type AgentProcs } from '../lib/agent-procs.js';
import { eventually } from '../lib/eventually.js';

const SECRET = 'as1-secret';
const LEASE_MS = 1_000;

describe('agent writer lease, failsafe and second opinion (real agents)', () => {
  let rig: Rig;
  let agents: AgentProcs;
  let stopRenewing: (() => Promise<void>) | null = null;

  const send = async (host: string, line: string): Promise<string> => {
    const r = await sendRequest({ host: rig.host(host).ip, port: 9989, secret: SECRET, connectTimeoutMs: 1_000, readTimeoutMs: 40_000 }, line);
    if (!r.ok) throw new Error(`${line}: ${r.error.code} ${r.error.message}`);
    return r.value.replace(/\|UP:[0-9.]+$/, '');
  };
  const readOnly = async (host: string): Promise<number> => Number((await rig.sql(host, 'SELECT @@global.read_only AS ro'))[0]?.['ro']);
  const vip = (): string => rig.writerVip;

  /** Renews db1's lease every 250 ms until the returned stop() is called. */
  function renewLoop(): () => Promise<void> {
    let on = true;
    const loop = (async () => {
      while (on) {
        await sendRequest({ host: rig.host('db1').ip, port: 9989, secret: SECRET, connectTimeoutMs: 300, readTimeoutMs: 500 }, `RENEW_LEASE|1|db1|${LEASE_MS}`);
        await sleep(250);
      }
    })();
    return async () => { on = false; await loop; };
  }

  before(async () => {
    rig = await createRig({ prefix: 'as1', subnet: 25 });
    const configPath = await rig.writeClusterYaml({ secret: SECRET, extra: `fencing:\n  writer_lease: ${LEASE_MS}ms\n  margin: 1s\n  failsafe: peers\n` });
    agents = await startAgents(rig, { configPath, secret: SECRET, logLevel: 'info' });
  });
  after(async () => {
    await stopRenewing?.();
    await rig?.linkUp('db1').catch(() => undefined);
    await agents?.stopAll();
    await rig?.destroy();
  });

  test('CHECK_HOST from db2: db1 healthy is ok / io_running', async () => {
    const r = await eventually(() => send('db2', 'CHECK_HOST|1|db2|db1'), (x) => x.startsWith('OK: Returning status!|ok|io_running|'), { timeoutMs: 10_000, intervalMs: 200 });
    assert.match(r, /^OK: Returning status!\|ok\|io_running\|mysql: connected to /);
    assert.match(await send('db3', 'CHECK_HOST|1|db3|db2'), /^OK: Returning status!\|ok\|not_replicating_from_target\|/);
  });

  test('monitor outage: the writer keeps its role after the lease while the other agents heard from no monitor', async (t) => {
    assert.equal(await send('db1', `SET_STATUS|1|db1|ONLINE|writer(${vip()})|db1`), 'OK: Status applied successfully!');
    stopRenewing = renewLoop();
    await sleep(1_500);
    assert.match(await send('db1', 'GET_FENCE_STATUS|1|db1'), /^OK: Returning status!\|\|\d+\|$/);
    await stopRenewing();
    stopRenewing = null;
    const stoppedAt = Date.now();
    await sleep(LEASE_MS * 3);
    assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), `OK: Returning status!|ONLINE|writer(${vip()})|`);
    assert.equal(await rig.hasVip('db1', vip()), true);
    assert.equal(await readOnly('db1'), 0);
    assert.equal(await send('db1', 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!||0|');
    assert.match(await send('db2', 'PEER_STATUS|1|db2|db1'), /^OK: Returning status!\|\|UNKNOWN\|$/);
    t.diagnostic(`writer still holding ${Date.now() - stoppedAt} ms after the last renewal (failsafe)`);
  });

  test('writer link cut: db1 fences itself (read_only=1, VIP gone) and says so once reachable', async (t) => {
    const cutAt = Date.now();
    await rig.linkDown('db1');
    await eventually(() => rig.hasVip('db1', vip()), (has) => !has, { timeoutMs: LEASE_MS + 5_000, intervalMs: 20 });
    const vipGoneMs = Date.now() - cutAt;
    await eventually(() => readOnly('db1'), (ro) => ro === 1, { timeoutMs: 5_000, intervalMs: 20 });
    const readOnlyMs = Date.now() - cutAt;
    t.diagnostic(`link cut -> VIP gone after ${vipGoneMs} ms, read_only=1 after ${readOnlyMs} ms (lease ${LEASE_MS} ms, already expired: failsafe was holding)`);
    await rig.linkUp('db1');
    const fence = await eventually(() => send('db1', 'GET_FENCE_STATUS|1|db1'), (x) => x.startsWith('OK: Returning status!|1||'), { timeoutMs: 10_000, intervalMs: 100 });
    assert.match(fence, /^OK: Returning status!\|1\|\|\d+$/);
    assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), 'OK: Returning status!|ONLINE||');
    // a renewal does not revive a fenced writer; only a SET_STATUS giving the role does
    assert.equal(await send('db1', `RENEW_LEASE|1|db1|${LEASE_MS}`), `OK: Lease renewed|${LEASE_MS}`);
    assert.equal(await rig.hasVip('db1', vip()), false);
  });

  test('a renewed writer with its link cut fences within the lease plus the check time', async (t) => {
    assert.equal(await send('db1', `SET_STATUS|1|db1|ONLINE|writer(${vip()})|db1`), 'OK: Status applied successfully!');
    assert.equal(await send('db1', 'GET_FENCE_STATUS|1|db1').then((x) => x.split('|')[1]), '');
    assert.equal(await send('db1', `RENEW_LEASE|1|db1|${LEASE_MS}`), `OK: Lease renewed|${LEASE_MS}`);
    const renewedAt = Date.now();
    await rig.linkDown('db1');
    await eventually(() => rig.hasVip('db1', vip()), (has) => !has, { timeoutMs: LEASE_MS + 5_000, intervalMs: 20 });
    const vipGoneMs = Date.now() - renewedAt;
    await eventually(() => readOnly('db1'), (ro) => ro === 1, { timeoutMs: 5_000, intervalMs: 20 });
    t.diagnostic(`last renewal -> VIP gone after ${vipGoneMs} ms, read_only=1 after ${Date.now() - renewedAt} ms (lease ${LEASE_MS} ms)`);
    await rig.linkUp('db1');
  });

  test('CHECK_HOST from db2: timeout while db1 is cut off, refused once its mysqld is dead', async (t) => {
    await rig.linkDown('db1');
    const started = Date.now();
    const cut = await send('db2', 'CHECK_HOST|1|db2|db1');
    t.diagnostic(`CHECK_HOST with db1 cut off answered in ${Date.now() - started} ms: ${cut}`);
    assert.match(cut, /^OK: Returning status!\|timeout\|io_(running|connecting)\|/);
    await rig.linkUp('db1');
    await rig.killMysqld('db1');
    const refused = await eventually(() => send('db2', 'CHECK_HOST|1|db2|db1'), (x) => x.includes('|refused|io_connecting|'), { timeoutMs: 10_000, intervalMs: 200 });
    assert.match(refused, /^OK: Returning status!\|refused\|io_connecting\|/);
  });
});
