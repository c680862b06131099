import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLineServer, MAX_REFUSALS_PER_CONNECTION, type LineHandler, type LineServer } from '../src/server.js';
import { sendRequest } from '../src/client.js';
import { decodeRequest, encodeReply } from '../src/codec.js';
import { REPLY_PINGED, hostMismatchReply } from '../src/replies.js';
import { signRequest } from '../src/auth.js';
import { captureLogs, rawConnect } from './support/net.js';

// A tiny MMM-like agent: answers PING for db1 with the real reply strings.
const mmmHandler: LineHandler = (payload) => {
  const r = decodeRequest(payload);
  if (!r.ok) return Promise.resolve(encodeReply(r.error.reply, 42));
  if (r.value.host !== 'db1') return Promise.resolve(encodeReply(hostMismatchReply(r.value.host, 'db1'), 42));
  return Promise.resolve(encodeReply(REPLY_PINGED, 42));
};

const SECRET = 'test secret, not a real one';

async function withServer(
  opts: Partial<Parameters<typeof startLineServer>[0]>,
  body: (srv: LineServer) => Promise<void>,
): Promise<void> {
  const srv = await startLineServer({ host: '127.0.0.1', port: 0, handler: mmmHandler, secret: null, ...opts });
  try {
    await body(srv);
  } finally {
    await srv.close();
  }
}

const client = (port: number, secret: string | null = null) =>
  ({ host: '127.0.0.1', port, secret, connectTimeoutMs: 2000, readTimeoutMs: 2000 });

void test('plain mode: MMM replies, several lines on one connection answered in order, CR kept', async () => {
  await withServer({}, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.send('PING|1|db1\nFOO|1|db1\nping|1|db1\nPING|1\n\nPING|1|db1|extra\nPING|1|db1\r\nPING|1|db2\n');
    assert.deepEqual(await c.lines(8), [
      'OK: Pinged!|UP:42.00',
      "ERROR: Invalid command 'FOO'!|UP:42.00",
      "ERROR: Invalid command 'ping'!|UP:42.00",
      "ERROR: Invalid command 'PING|1'!|UP:42.00",
      "ERROR: Invalid command ''!|UP:42.00",
      'OK: Pinged!|UP:42.00',
      "ERROR: Invalid hostname in command (db1\r)! My name is 'db1'|UP:42.00",
      "ERROR: Invalid hostname in command (db2)! My name is 'db1'|UP:42.00",
    ]);
    c.socket.destroy();
  });
});

void test('a last line without newline is answered when the client half-closes', async () => {
  await withServer({}, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.socket.end('PING|1|db1');
    assert.deepEqual(await c.lines(1), ['OK: Pinged!|UP:42.00']);
    await c.closed;
  });
});

void test('many clients are served concurrently; a slow request does not hold up others', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => { release = r; });
  const handler: LineHandler = async (payload) => {
    if (payload === 'SLOW') await gate;
    return `OK: ${payload}`;
  };
  await withServer({ handler }, async (srv) => {
    const port = srv.address().port;
    const slow = sendRequest(client(port), 'SLOW');
    const idle = await rawConnect(port);
    idle.send('PING|1|db1'); // a partial line, never finished
    const fast = await Promise.all(Array.from({ length: 25 }, (_, i) => sendRequest(client(port), `N${i}`)));
    assert.deepEqual(fast.map((r) => (r.ok ? r.value : r.error.code)), Array.from({ length: 25 }, (_, i) => `OK: N${i}`));
    release();
    assert.deepEqual(await slow, { ok: true, value: 'OK: SLOW' });
    idle.socket.destroy();
  });
});

void test('an idle connection is closed after idleTimeoutMs, logged; a busy one is not', async () => {
  const logs = captureLogs();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => { release = r; });
  const handler: LineHandler = async (p) => {
    await gate;
    return `OK: ${p}`;
  };
  await withServer({ idleTimeoutMs: 100, logger: logs.logger, handler }, async (srv) => {
    const idle = await rawConnect(srv.address().port);
    const busy = await rawConnect(srv.address().port);
    busy.send('WORK\n');
    await idle.closed;
    const ev = logs.events().find((e) => e['event'] === 'proto.idle_timeout');
    assert.ok(ev);
    assert.match(String(ev['peer']), /^127\.0\.0\.1:\d+$/);
    await sleep(250); // several idle periods while the request is in progress
    release();
    assert.deepEqual(await busy.lines(1), ['OK: WORK']);
    await busy.closed; // and idle again afterwards
  });
});

void test('oversize line and invalid UTF-8 get ERROR replies and log events; the connection keeps serving', async () => {
  const logs = captureLogs();
  await withServer({ maxLineBytes: 100, logger: logs.logger }, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.send(`${'x'.repeat(5000)}\nPING|1|db1\n`);
    c.send(Buffer.from([0x50, 0xff, 0x0a]));
    c.send('PING|1|db1\n');
    assert.deepEqual(await c.lines(4), [
      'ERROR: Line too long (more than 100 bytes)!',
      'OK: Pinged!|UP:42.00',
      'ERROR: Invalid UTF-8 in command!',
      'OK: Pinged!|UP:42.00',
    ]);
    const events = logs.events().map((e) => e['event']);
    assert.ok(events.includes('proto.line_too_long'));
    assert.ok(events.includes('proto.invalid_utf8'));
    c.socket.destroy();
    assert.deepEqual(await sendRequest(client(srv.address().port), 'PING|1|db1'), { ok: true, value: 'OK: Pinged!|UP:42.00' });
  });
});

void test('an empty line is answered by the handler and logged', async () => {
  const logs = captureLogs();
  await withServer({ logger: logs.logger }, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.send('\n');
    assert.deepEqual(await c.lines(1), ["ERROR: Invalid command ''!|UP:42.00"]);
    assert.ok(logs.events().some((e) => e['event'] === 'proto.empty_line'));
    c.socket.destroy();
  });
});

void test('a connection that keeps sending refused lines is cut', async () => {
  await withServer({ maxLineBytes: 4 }, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.send('too long\n'.repeat(MAX_REFUSALS_PER_CONNECTION + 5));
    const got = await c.lines(MAX_REFUSALS_PER_CONNECTION + 5);
    await c.closed;
    assert.equal(got.length, MAX_REFUSALS_PER_CONNECTION);
  });
});

void test('a handler that throws gets ERROR: internal error, is logged, and the server keeps serving', async () => {
  const logs = captureLogs();
  const handler: LineHandler = (p) => (p === 'BOOM' ? Promise.reject(new Error('kaboom')) : Promise.resolve('OK: fine'));
  await withServer({ handler, logger: logs.logger }, async (srv) => {
    const c = await rawConnect(srv.address().port);
    c.send('BOOM\nAGAIN\n');
    assert.deepEqual(await c.lines(2), ['ERROR: internal error', 'OK: fine']);
    const ev = logs.events().find((e) => e['event'] === 'proto.handler_failed');
    assert.ok(ev);
    assert.equal((ev['err'] as { message?: string }).message, 'kaboom');
    c.socket.destroy();
  });
});

void test('auth mode: plain lines refused and logged with the peer; signed ones answered and signed', async () => {
  const logs = captureLogs();
  const seen: string[] = [];
  const handler: LineHandler = (p) => {
    seen.push(p);
    return mmmHandler(p, { peer: '' });
  };
  await withServer({ secret: SECRET, logger: logs.logger, handler }, async (srv) => {
    const port = srv.address().port;
    const c = await rawConnect(port);
    c.send('PING|1|db1\n');
    assert.deepEqual(await c.lines(1), ['ERROR: authentication failed']);
    const ev = logs.events().find((e) => e['event'] === 'proto.auth_failed');
    assert.ok(ev);
    assert.match(String(ev['peer']), /^127\.0\.0\.1:\d+$/);
    assert.equal(ev['code'], 'AUTH_MALFORMED');
    // A good request through the client; the handler sees the unwrapped v1 line.
    assert.deepEqual(await sendRequest(client(port, SECRET), 'PING|1|db1'), { ok: true, value: 'OK: Pinged!|UP:42.00' });
    assert.deepEqual(seen, ['PING|1|db1']);
    // A captured signed line replayed: refused.
    const signed = signRequest(SECRET, 'PING|1|db1', Date.now()).line;
    c.send(`${signed}\n${signed}\n`);
    const [first, second] = await c.lines(2);
    assert.match(first ?? '', /^MMMA1 \d+ [0-9a-f]{32} [0-9a-f]{64} OK: Pinged!\|UP:42\.00$/);
    assert.equal(second, 'ERROR: authentication failed');
    assert.ok(logs.events().some((e) => e['event'] === 'proto.auth_failed' && e['code'] === 'AUTH_REPLAY'));
    // The wrong secret is refused.
    const wrong = await sendRequest(client(port, 'not the secret'), 'PING|1|db1');
    assert.equal(wrong.ok ? '' : wrong.error.code, 'AUTH_FAILED');
    assert.equal(JSON.stringify(logs.events()).includes(SECRET), false);
    c.socket.destroy();
  });
});

void test('close() resolves promptly with idle clients connected and a request in progress', async () => {
  const srv = await startLineServer({ host: '127.0.0.1', port: 0, secret: null, idleTimeoutMs: 3_600_000,
    handler: () => new Promise<string>(() => undefined) });
  const idle = await rawConnect(srv.address().port);
  const busy = await rawConnect(srv.address().port);
  busy.send('HANG\n');
  await sleep(20);
  const outcome = await Promise.race([srv.close().then(() => 'closed'), sleep(5000, undefined, { ref: false }).then(() => 'still open after 5 s')]);
  assert.equal(outcome, 'closed');
  await Promise.all([idle.closed, busy.closed]);
  const after = await sendRequest(client(srv.address().port), 'PING|1|db1');
  assert.equal(after.ok ? '' : after.error.code, 'CONNECT_REFUSED');
});

void test('listening on a port in use rejects', async () => {
  await withServer({}, async (srv) => {
    await assert.rejects(startLineServer({ host: '127.0.0.1', port: srv.address().port, handler: mmmHandler, secret: null }));
  });
});
