import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlAllowWrite } from '../../src/actions/allow-write.js';
import { envOf, newServer } from './fake-server.js';

void test('allow_write clears read_only and verifies it', async () => {
  const s = newServer();
  s.readOnly = true;
  const r = await mysqlAllowWrite(envOf(s));
  assert.ok(r.ok);
  assert.deepEqual(r.value, { readOnly: false, superReadOnly: null, changed: true });
  assert.equal(s.readOnly, false);
});

void test('allow_write is a no-op on a writable server', async () => {
  const s = newServer();
  const env = envOf(s);
  const r = await mysqlAllowWrite(env);
  assert.ok(r.ok);
  assert.equal(r.value.changed, false);
  assert.ok(!env.sql.calls.some((c) => c.sql.startsWith('SET GLOBAL')));
});

void test('allow_write that does not take is AGENT_ALLOW_WRITE_UNVERIFIED', async () => {
  const s = newServer();
  s.readOnly = true;
  s.ignoreReadOnly = true;
  const r = await mysqlAllowWrite(envOf(s));
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'AGENT_ALLOW_WRITE_UNVERIFIED');
});
