// The writer lease on an Agent built on fakes: expiry fences, renewal keeps the role, the failsafe
// keeps it only while a majority of agents back it (no CHECK_HOST denial in force; an older peer: a
// silent monitor), fencing survives a dead mysqld.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { err } from '@mmm-ts/protocol';
import { ask, peerReply, rigAgent, VIP } from './fixture.js';

const roles = async (r: Awaited<ReturnType<typeof rigAgent>>): Promise<string> => ask(r, 'GET_AGENT_STATUS|1|db1');

test('an adopted writer VIP starts a lease; when it expires with no failsafe the agent fences itself', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 1s, failsafe: off }' });
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
  r.advance(900);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11', VIP], 'still within the lease');
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!||100|');
  r.advance(100);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
  assert.ok(r.statements.includes('SET GLOBAL read_only=1'), r.statements.join('\n'));
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
  r.advance(250);
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!|1||250');
  assert.equal(r.peerLines.length, 0, 'failsafe off asks nobody');
});

test('RENEW_LEASE keeps the role past the first lease; a fenced writer is not revived by a renewal', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 1s, failsafe: off }' });
  for (let i = 0; i < 5; i++) {
    r.advance(600);
    assert.equal(await ask(r, 'RENEW_LEASE|1|db1|1000'), 'OK: Lease renewed|1000');
    await r.agent.leaseTick();
  }
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!||1000|');
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
  assert.equal(await ask(r, 'RENEW_LEASE|1|db1|1000'), 'OK: Lease renewed|1000');
  await r.agent.leaseTick();
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
  assert.match(await ask(r, 'GET_FENCE_STATUS|1|db1'), /^OK: Returning status!\|1\|\|\d+$/);
});

test('failsafe: peers reachable that have not heard from the monitor keep the writer role', async () => {
  const r = await rigAgent();
  r.peer = () => peerReply(null);
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
  assert.deepEqual(r.peerLines.sort(), ['PEER_STATUS|1|db2|db1', 'PEER_STATUS|1|db3|db1']);
  // one of two peers lost: 2 of 3 is still a majority
  r.peer = (h) => (h === 'db2' ? peerReply(5_000) : err({ code: 'CONNECT_TIMEOUT', message: 'no connection within 200 ms' }));
  r.advance(150);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11', VIP]);
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!||0|');
});

test('failsafe: no peer reachable fences the writer', async () => {
  const r = await rigAgent();
  r.advance(1000);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
  assert.match(await ask(r, 'GET_FENCE_STATUS|1|db1'), /^OK: Returning status!\|1\|\|0$/);
});

test('failsafe: peers that hear the monitor but deny nothing keep the writer (only the monitor lost it)', async () => {
  const r = await rigAgent();
  r.peer = () => peerReply(100);
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
});

test('failsafe: one peer denying and the other unreachable leaves 1 of 3: fence', async () => {
  const r = await rigAgent();
  r.peer = (h) => (h === 'db2' ? peerReply(100, true) : err({ code: 'CONNECT_TIMEOUT', message: 'no connection within 200 ms' }));
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
});

test('failsafe: an older peer (3-field reply) backs the writer only while it has not heard the monitor', async () => {
  const r = await rigAgent();
  r.peer = (h) => peerReply(h === 'db3' ? 100 : 5_000, null);
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`, 'db2 silent: 2 of 3');
  r.peer = () => peerReply(100, null);
  r.advance(150);
  await r.agent.leaseTick();
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
});

test('failsafe holding gives way as soon as the peers deny the writer to the monitor', async () => {
  const r = await rigAgent();
  r.peer = () => peerReply(null);
  r.advance(1000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
  r.peer = (h) => peerReply(20, h === 'db2' || h === 'db3');
  r.advance(150);
  await r.agent.leaseTick();
  assert.equal(await roles(r), 'OK: Returning status!|UNKNOWN||');
});

test('the writer fences even when its mysqld is down: the VIP goes, read_only is reported failed', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 1s, failsafe: off }' });
  r.mysqlUp = false;
  r.advance(1000);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
  assert.match(await ask(r, 'GET_FENCE_STATUS|1|db1'), /^OK: Returning status!\|1\|/);
});

test('a VIP that could not be removed is retried on the next ticks', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 1s, failsafe: off }' });
  r.ipOps.failNext.push('del');
  r.advance(1000);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11', VIP]);
  await r.agent.leaseTick();
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
});

test('writer_lease 0: no lease, never fenced (MMM behaviour)', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 0 }' });
  r.advance(3_600_000);
  await r.agent.leaseTick();
  assert.equal(await roles(r), `OK: Returning status!|UNKNOWN|writer(${VIP})|`);
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!|||');
});

test('a SET_STATUS that takes the writer away ends the lease; one without roles is contact with the monitor', async () => {
  const r = await rigAgent();
  assert.equal(await ask(r, 'SET_STATUS|1|db1|ONLINE||'), 'OK: Status applied successfully!');
  assert.deepEqual(r.ipOps.addrs.get('eth0'), ['10.0.0.11']);
  r.advance(5_000);
  await r.agent.leaseTick();
  assert.equal(await ask(r, 'GET_FENCE_STATUS|1|db1'), 'OK: Returning status!|||');
  assert.equal(await ask(r, 'PEER_STATUS|1|db1|db2'), 'OK: Returning status!|5000|ONLINE|');
});
