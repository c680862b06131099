import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentTransport } from '../../src/daemon/agents.js';
import { commandOf, timedTransport } from '../../src/http/index.js';

const EP = { ip: '10.0.0.11', port: 9989 };
const T = { connectMs: 100, readMs: 100 };

function recorder(): { seen: string[]; rec: Parameters<typeof timedTransport>[1] } {
  const seen: string[] = [];
  return { seen, rec: { observe: (h, c, s) => seen.push(`observe ${h} ${c} ${s}`), error: (h, c, k) => seen.push(`error ${h} ${c} ${k}`) } };
}

test('commandOf: the first word of a request line; anything unknown is OTHER', () => {
  assert.equal(commandOf('SET_STATUS|2.0|db1|ONLINE|writer(10.0.0.50)|db1'), 'SET_STATUS');
  assert.equal(commandOf('PING|2.0|db1'), 'PING');
  assert.equal(commandOf('RENEW_LEASE|2.0|db1'), 'OTHER');
  assert.equal(commandOf(''), 'OTHER');
});

test('timedTransport: times replies, counts transport errors and ERROR replies, passes results through', async () => {
  let clock = 0;
  const inner: AgentTransport = (host, _ep, line) => {
    clock += 250;
    if (host === 'db2') return Promise.resolve({ ok: false, error: { code: 'READ_TIMEOUT', message: 'no reply' } });
    if (line.startsWith('SET_STATUS')) return Promise.resolve({ ok: true, value: 'ERROR: Invalid state|UP:1.00' });
    return Promise.resolve({ ok: true, value: 'OK: Pinged!|UP:1.00' });
  };
  const { seen, rec } = recorder();
  const t = timedTransport(inner, rec, () => clock);
  assert.deepEqual(await t('db1', EP, 'PING|2.0|db1', T), { ok: true, value: 'OK: Pinged!|UP:1.00' });
  assert.deepEqual(await t('db2', EP, 'PING|2.0|db2', T), { ok: false, error: { code: 'READ_TIMEOUT', message: 'no reply' } });
  assert.deepEqual(await t('db1', EP, 'SET_STATUS|2.0|db1|ONLINE||db1', T), { ok: true, value: 'ERROR: Invalid state|UP:1.00' });
  assert.deepEqual(seen, [
    'observe db1 PING 0.25',
    'observe db2 PING 0.25', 'error db2 PING READ_TIMEOUT',
    'observe db1 SET_STATUS 0.25', 'error db1 SET_STATUS ERROR_REPLY',
  ]);
});

test('timedTransport: a throwing transport is recorded and the exception still reaches the caller', async () => {
  const { seen, rec } = recorder();
  const t = timedTransport(() => Promise.reject(new Error('boom')), rec, () => 0);
  await assert.rejects(t('db1', EP, 'PING|2.0|db1', T), /boom/);
  assert.deepEqual(seen, ['observe db1 PING 0', 'error db1 PING THROWN']);
});
