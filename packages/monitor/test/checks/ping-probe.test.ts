import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { probePing, tcpReach } from '../../src/checks/ping-probe.js';
import { createNetworkProbe } from '../../src/checks/network.js';

const now = (): number => Date.now();

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('ping: a listening port is up, and so is a refusing one (the host answered)', async () => {
  const s = createServer((c) => c.destroy());
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  assert.equal((await tcpReach('127.0.0.1', port, 500)).reach, 'connected');
  assert.equal((await probePing('127.0.0.1', port, 500, now)).kind, 'ok');
  await new Promise<void>((r) => s.close(() => r()));
  const closed = await closedPort();
  assert.equal((await tcpReach('127.0.0.1', closed, 500)).reach, 'refused');
  assert.equal((await probePing('127.0.0.1', closed, 500, now)).kind, 'ok');
});

test('network self-check over TCP: empty list is OK, a refusing address is reachable', async () => {
  const net = createNetworkProbe(null);
  assert.equal(await net([], 500), true);
  assert.equal(await net(['127.0.0.1'], 500), true);
});
