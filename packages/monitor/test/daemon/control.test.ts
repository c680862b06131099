import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { silentLogger } from '@mmm-ts/protocol';
import { startControlListener, type ControlListener } from '../../src/daemon/control.js';
import type { ControlContext } from '../../src/daemon/control-commands.js';
import { sendControlCommand } from '../../src/daemon/control-client.js';
import type { IntentAnswer, IntentRequest } from '../../src/daemon/loop.js';
import { makeConfig, steady, T0 } from '../core/fixture.js';

interface FakeLoop { submitted: IntentRequest[]; release: (a: IntentAnswer) => void }

async function listen(t: { after: (fn: () => Promise<void>) => void }, errant: Record<string, string[]> = {}): Promise<{ l: ControlListener; loop: FakeLoop }> {
  const cfg = makeConfig();
  const loop: FakeLoop = { submitted: [], release: () => undefined };
  const ctx: ControlContext = {
    cfg,
    state: () => steady(cfg),
    outcome: () => ({ code: 'NO_ACTION', sentence: 'no action. db1 is the writer, 3 hosts ONLINE' }),
    agentReachable: (h) => h !== 'db3',
    rows: () => [
      { host: 'db1', check: 'ping', state: 'ok', since: T0, message: 'ok' },
      { host: 'db2', check: 'mysql', state: 'fail', since: T0, message: 'connection refused' },
    ],
    history: () => [],
    errantHosts: () => errant,
    submit: (req) => {
      loop.submitted.push(req);
      return new Promise((resolve) => { loop.release = resolve; });
    },
    moveTimeoutMs: 5_000,
    intentTimeoutMs: 5_000,
  };
  const l = await startControlListener({ host: '127.0.0.1', port: 0, ctx, logger: silentLogger, idleTimeoutMs: 500, maxLineBytes: 256 });
  t.after(() => l.close());
  return { l, loop };
}

const ask = async (port: number, words: string[], json = false): Promise<string> => {
  const r = await sendControlCommand({ host: '127.0.0.1', port, words, json, replyTimeoutMs: 5_000 });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.value;
};

/** Raw exchange: writes `text`, returns everything read until the server closes. */
function raw(port: number, text: string, halfClose = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (halfClose ? s.end(text) : s.write(text)));
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => { resolve(Buffer.concat(chunks).toString()); s.destroy(); });
    s.on('error', reject);
  });
}

void test('ping, show and mode answer with MMM texts; --json gives one JSON document', async (t) => {
  const { l } = await listen(t);
  assert.equal(await ask(l.port, ['ping']), 'OK: Pinged successfully!');
  const show = await ask(l.port, ['show']);
  assert.match(show, /^ {2}db1\(10\.0\.0\.11\) master\/ONLINE\. Roles: reader\(10\.0\.0\.51\), writer\(10\.0\.0\.50\)$/m);
  assert.equal(await ask(l.port, ['mode']), 'ACTIVE');
  const j = JSON.parse(await ask(l.port, ['show'], true)) as { ok: boolean; hosts: { name: string; agentReachable: boolean }[] };
  assert.equal(j.ok, true);
  assert.deepEqual(j.hosts.map((h) => [h.name, h.agentReachable]), [['db1', true], ['db2', true], ['db3', false]]);
});

void test('checks prints MMM lines, filtered by host and check', async (t) => {
  const { l } = await listen(t);
  const all = await ask(l.port, ['checks']);
  assert.match(all, /^db1 {2}ping {9}\[last change: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\] {2}OK$/m);
  assert.match(all, /^db2 {2}mysql {8}\[last change: .*\] {2}ERROR: connection refused$/m);
  assert.doesNotMatch(await ask(l.port, ['checks', 'db2']), /db1/);
  assert.match(await ask(l.port, ['checks', 'nohost']), /^ERROR: Unknown host name 'nohost'!/);
});

void test('a state-changing command becomes an intent and is answered only when the loop answers', async (t) => {
  const { l, loop } = await listen(t);
  const pending = ask(l.port, ['move_role', '--force', 'writer', 'db2']);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(loop.submitted, [{ kind: 'move_role', role: 'writer', host: 'db2', force: true }]);
  loop.release({ ok: true, reply: 'OK: moved' });
  assert.equal(await pending, 'OK: moved');
});

void test('a single line without quit is served; bad usage, unknown commands and over-long lines get ERROR', async (t) => {
  const { l } = await listen(t);
  assert.equal(await raw(l.port, 'ping\n'), 'OK: Pinged successfully!');
  assert.equal(await raw(l.port, 'mode', true), 'ACTIVE', 'a last line without a newline, then EOF');
  assert.equal(await raw(l.port, 'mode'), '', 'no complete line: closed after the idle timeout');
  assert.match(await ask(l.port, ['set_online']), /^ERROR: Usage: set_online <host>/);
  assert.match(await ask(l.port, ['frobnicate']), /^ERROR: Unknown command 'frobnicate'/);
  assert.match(await raw(l.port, `${'x'.repeat(400)}\nquit\n`), /^ERROR: /);
});

void test('show warns about a host holding transactions the writer lacks, with the GTIDs (text and --json)', async (t) => {
  const { l } = await listen(t, { db3: ['0-13-7'] });
  const show = await ask(l.port, ['show']);
  assert.match(show, /^# Warning: db3 has transactions the writer db1 does not have \(0-13-7\): it is never promoted; reconcile or rebuild it$/m);
  const doc = JSON.parse(await ask(l.port, ['show'], true)) as { errant: Record<string, string[]> };
  assert.deepEqual(doc.errant, { db3: ['0-13-7'] });
  const { l: clean } = await listen(t);
  assert.doesNotMatch(await ask(clean.port, ['show']), /transactions the writer/);
});
