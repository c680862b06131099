import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { sendRequest, type SendRequestOptions } from '../src/client.js';
import { signResponse } from '../src/auth.js';
import { readUptimeSeconds } from '../src/uptime.js';
import { closedPort } from './support/net.js';

const SECRET = 'client test secret';

// A fake agent that reacts to the raw first line as `respond` says.
async function fakeAgent(respond: (line: string, socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    let buf = '';
    s.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const i = buf.indexOf('\n');
      if (i >= 0) respond(buf.slice(0, i), s);
    });
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (typeof addr !== 'object' || addr === null) throw new Error('no address');
  return {
    port: addr.port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

const opts = (port: number, extra: Partial<SendRequestOptions> = {}): SendRequestOptions =>
  ({ host: '127.0.0.1', port, secret: null, connectTimeoutMs: 2000, readTimeoutMs: 2000, ...extra });

const codeOf = (r: Awaited<ReturnType<typeof sendRequest>>): string => (r.ok ? `ok:${r.value}` : r.error.code);

void test('a closed port gives CONNECT_REFUSED', async () => {
  const r = await sendRequest(opts(await closedPort()), 'PING|1|db1');
  assert.equal(codeOf(r), 'CONNECT_REFUSED');
  assert.equal(r.ok ? '' : r.error.cause, 'ECONNREFUSED');
});

void test('a server that accepts and never answers gives READ_TIMEOUT', async () => {
  const agent = await fakeAgent(() => undefined);
  try {
    assert.equal(codeOf(await sendRequest(opts(agent.port, { readTimeoutMs: 150 }), 'PING|1|db1')), 'READ_TIMEOUT');
  } finally {
    await agent.close();
  }
});

void test('EOF without a line gives CLOSED; a last line without newline is a reply (like mmm_control)', async () => {
  const agent = await fakeAgent((line, s) => (line === 'A' ? s.end() : s.end('OK: no newline')));
  try {
    assert.equal(codeOf(await sendRequest(opts(agent.port), 'A')), 'CLOSED');
    assert.equal(codeOf(await sendRequest(opts(agent.port), 'B')), 'ok:OK: no newline');
  } finally {
    await agent.close();
  }
});

void test('plain mode returns the reply line as is; only the first line counts', async () => {
  const agent = await fakeAgent((line, s) => s.write(`OK: Pinged!|UP:3124.06\nsecond\n`));
  try {
    assert.equal(codeOf(await sendRequest(opts(agent.port), 'PING|1|db1')), 'ok:OK: Pinged!|UP:3124.06');
  } finally {
    await agent.close();
  }
});

void test('an endless reply gives REPLY_TOO_LONG; invalid UTF-8 gives PROTOCOL; a newline in the request is refused', async () => {
  const agent = await fakeAgent((line, s) => {
    if (line === 'LONG') s.write('x'.repeat(10_000));
    else s.write(Buffer.from([0xff, 0x0a]));
  });
  try {
    assert.equal(codeOf(await sendRequest(opts(agent.port, { maxReplyBytes: 1000 }), 'LONG')), 'REPLY_TOO_LONG');
    assert.equal(codeOf(await sendRequest(opts(agent.port), 'UTF')), 'PROTOCOL');
    assert.equal(codeOf(await sendRequest(opts(agent.port), 'PING|1|db1\nPING|1|db1')), 'PROTOCOL');
  } finally {
    await agent.close();
  }
});

void test('bad options are a PROTOCOL error, not an exception', async () => {
  assert.equal(codeOf(await sendRequest(opts(70000), 'PING|1|db1')), 'PROTOCOL');
});

void test('auth: the request is signed; a correct response is unwrapped', async () => {
  let sent = '';
  const agent = await fakeAgent((line, s) => {
    sent = line;
    const nonce = line.split(' ')[2] ?? '';
    s.write(`${signResponse(SECRET, 'OK: Pinged!|UP:1.00', nonce, Date.now())}\n`);
  });
  try {
    assert.equal(codeOf(await sendRequest(opts(agent.port, { secret: SECRET }), 'PING|1|db1')), 'ok:OK: Pinged!|UP:1.00');
    assert.match(sent, /^MMMA1 \d+ [0-9a-f]{32} [0-9a-f]{64} PING\|1\|db1$/);
  } finally {
    await agent.close();
  }
});

void test('auth: forged, replayed, stale, plain and refused responses all give AUTH_FAILED', async () => {
  let captured = '';
  const cases: Record<string, (nonce: string) => string> = {
    capture: (n) => (captured = signResponse(SECRET, 'OK: Status applied successfully!|UP:1.00', n, Date.now())),
    replayed: () => captured,
    forged: (n) => signResponse('a guessed secret', 'OK: Status applied successfully!|UP:1.00', n, Date.now()),
    stale: (n) => signResponse(SECRET, 'OK: Pinged!|UP:1.00', n, Date.now() - 120_000),
    plain: () => 'OK: Pinged!|UP:1.00',
    refused: () => 'ERROR: authentication failed',
  };
  const agent = await fakeAgent((line, s) => {
    const [, , nonce = '', , ...rest] = line.split(' ');
    const kind = rest.join(' ');
    s.write(`${cases[kind]?.(nonce) ?? ''}\n`);
  });
  try {
    const send = (kind: string) => sendRequest(opts(agent.port, { secret: SECRET }), kind);
    assert.equal(codeOf(await send('capture')), 'ok:OK: Status applied successfully!|UP:1.00');
    for (const kind of ['replayed', 'forged', 'stale', 'plain', 'refused']) {
      const r = await send(kind);
      assert.equal(codeOf(r), 'AUTH_FAILED', kind);
    }
    const refused = await send('refused');
    assert.equal(refused.ok ? '' : refused.error.cause, 'AUTH_REJECTED');
  } finally {
    await agent.close();
  }
});

void test('readUptimeSeconds reads a positive number', async () => {
  const up = await readUptimeSeconds();
  assert.ok(Number.isFinite(up) && up > 0);
});
