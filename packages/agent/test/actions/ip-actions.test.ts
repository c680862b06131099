import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import { configureIp } from '../../src/actions/configure-ip.js';
import { clearIp } from '../../src/actions/clear-ip.js';
import { checkIp } from '../../src/actions/check-ip.js';
import { createFakeIpOps } from '../../src/testing/index.js';

void test('configure_ip adds an absent address, verifies it and announces it', async () => {
  const ip = createFakeIpOps({ eth0: ['10.0.0.11'] });
  const r = await configureIp(ip, 'eth0', '10.0.0.50', silentLogger);
  assert.deepEqual(r, { ok: true, value: { added: true, present: true } });
  assert.deepEqual(ip.addrs.get('eth0'), ['10.0.0.11', '10.0.0.50']);
  assert.deepEqual(ip.announced, ['eth0 10.0.0.50']);
});

void test('configure_ip on a present address only re-announces (idempotent)', async () => {
  const ip = createFakeIpOps({ eth0: ['10.0.0.50'] });
  const r = await configureIp(ip, 'eth0', '10.0.0.50', silentLogger);
  assert.deepEqual(r, { ok: true, value: { added: false, present: true } });
  assert.deepEqual(ip.announced, ['eth0 10.0.0.50']);
});

void test('configure_ip rejects a bad IP or interface before running anything', async () => {
  const ip = createFakeIpOps();
  for (const bad of ['10.0.0.256', '10.0.0.1; rm -rf /', '::1', '']) {
    const r = await configureIp(ip, 'eth0', bad, silentLogger);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'AGENT_BAD_IP');
  }
  const r = await configureIp(ip, '-fdev', '10.0.0.1', silentLogger);
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_BAD_INTERFACE');
  assert.deepEqual(ip.announced, []);
});

void test('configure_ip reports a failing ip command as AGENT_IP_COMMAND_FAILED', async () => {
  const ip = createFakeIpOps();
  ip.failNext.push('add');
  const r = await configureIp(ip, 'eth0', '10.0.0.50', silentLogger);
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_IP_COMMAND_FAILED');
  assert.deepEqual(ip.announced, []);
});

void test('clear_ip removes a present address and is a no-op when absent', async () => {
  const ip = createFakeIpOps({ eth0: ['10.0.0.11', '10.0.0.50'] });
  assert.deepEqual(await clearIp(ip, 'eth0', '10.0.0.50', silentLogger), { ok: true, value: { removed: true, present: false } });
  assert.deepEqual(ip.addrs.get('eth0'), ['10.0.0.11']);
  assert.deepEqual(await clearIp(ip, 'eth0', '10.0.0.50', silentLogger), { ok: true, value: { removed: false, present: false } });
  assert.deepEqual(ip.announced, []);
});

void test('check_ip tells whether the address is on the interface', async () => {
  const ip = createFakeIpOps({ eth0: ['10.0.0.50'] });
  assert.deepEqual(await checkIp(ip, 'eth0', '10.0.0.50'), { ok: true, value: true });
  assert.deepEqual(await checkIp(ip, 'eth0', '10.0.0.51'), { ok: true, value: false });
});
