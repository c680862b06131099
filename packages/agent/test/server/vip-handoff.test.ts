// The writer VIP hand-off on an Agent built on fakes: a verified read-only release keeps the address
// for the hand-off then drops it; a failed demotion drops it at once; the role coming back keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, rigAgent, VIP } from './fixture.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const addrs = (r: Awaited<ReturnType<typeof rigAgent>>): string[] => [...(r.ipOps.addrs.get('eth0') ?? [])];

test('a verified release keeps the writer VIP for the hand-off, read-only, then removes it', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 0 }', handoffMs: 50 });
  assert.equal(await ask(r, 'SET_STATUS|1|db1|ONLINE||db2'), 'OK: Status applied successfully!');
  assert.deepEqual(addrs(r), ['10.0.0.11', VIP], 'still there right after the reply');
  assert.ok(r.statements.includes('SET GLOBAL read_only=1'), 'read-only before the reply');
  assert.equal(await ask(r, 'GET_AGENT_STATUS|1|db1'), 'OK: Returning status!|ONLINE||', 'the role is gone at once');
  assert.deepEqual(r.agent.handoff.pending(), [VIP]);
  await sleep(120);
  assert.deepEqual(addrs(r), ['10.0.0.11']);
  assert.deepEqual(r.agent.handoff.pending(), []);
});

test('a failed demotion (MySQL down) removes the VIP at once: read_only is not verified', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 0 }', handoffMs: 60_000 });
  r.mysqlUp = false;
  assert.match(await ask(r, 'SET_STATUS|1|db1|ONLINE||db2'), /^ERROR: mysql_deny_write for writer/);
  assert.deepEqual(addrs(r), ['10.0.0.11']);
  assert.deepEqual(r.agent.handoff.pending(), []);
});

test('the writer role coming back during the hand-off keeps the address', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 0 }', handoffMs: 50 });
  assert.equal(await ask(r, 'SET_STATUS|1|db1|ONLINE||db2'), 'OK: Status applied successfully!');
  assert.equal(await ask(r, `SET_STATUS|1|db1|ONLINE|writer(${VIP})|db1`), 'OK: Status applied successfully!');
  assert.deepEqual(r.agent.handoff.pending(), []);
  await sleep(120);
  assert.deepEqual(addrs(r), ['10.0.0.11', VIP]);
  assert.equal(await ask(r, 'GET_AGENT_STATUS|1|db1'), `OK: Returning status!|ONLINE|writer(${VIP})|`);
  assert.equal(r.statements.filter((s) => /read_only=/.test(s)).at(-1), 'SET GLOBAL read_only=0', 'writable again');
});

test('flush (agent stopping) removes a waiting address now', async () => {
  const r = await rigAgent({ fencing: 'fencing: { writer_lease: 0 }', handoffMs: 60_000 });
  assert.equal(await ask(r, 'SET_STATUS|1|db1|ONLINE||db2'), 'OK: Status applied successfully!');
  assert.deepEqual(addrs(r), ['10.0.0.11', VIP]);
  await r.agent.handoff.flush();
  assert.deepEqual(addrs(r), ['10.0.0.11']);
});
