import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signRequest, signResponse, verifyRequest, verifyResponse } from '../src/auth.js';
import { NonceCache } from '../src/nonce-cache.js';
import { AUTH_ERROR_CODES } from '../src/errors.js';
import { createRng, fuzzSeed } from './support/prng.js';

const SECRET = 'correct horse battery staple';
const T0 = 1_700_000_000_000;
const codeOf = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): string => (r.ok ? 'ok' : r.error.code);

void test('a signed request verifies and yields payload and nonce; the frame is as documented', () => {
  const { line, nonce } = signRequest(SECRET, 'PING|1|db1', T0);
  assert.match(line, /^MMMA1 1700000000000 [0-9a-f]{32} [0-9a-f]{64} PING\|1\|db1$/);
  const [, ts, n, mac] = line.split(' ');
  assert.equal(n, nonce);
  // The MAC is exactly HMAC-SHA256(secret, "req\n"+ts+"\n"+nonce+"\n"+payload), as docs/protocol.md says.
  assert.equal(mac, createHmac('sha256', SECRET).update(`req\n${ts}\n${nonce}\nPING|1|db1`).digest('hex'));
  assert.deepEqual(verifyRequest(SECRET, line, T0 + 1000, new NonceCache()), { ok: true, value: { payload: 'PING|1|db1', nonce } });
});

void test('a Buffer secret equals the same string secret; a payload with spaces, empty or non-ASCII survives', () => {
  for (const payload of ['', 'SET_STATUS|1|db1|ONLINE||', 'a b  c ', 'é€😀']) {
    const { line } = signRequest(Buffer.from(SECRET), payload, T0);
    const r = verifyRequest(SECRET, line, T0, new NonceCache());
    assert.ok(r.ok, payload);
    assert.equal(r.value.payload, payload);
  }
});

void test('plain v1 lines and malformed frames are refused', () => {
  const cache = new NonceCache();
  for (const line of ['PING|1|db1', '', 'MMMA1', 'MMMA1 1 00 00 PING', `MMMA1 ${T0} ${'a'.repeat(32)} ${'b'.repeat(64)}`,
    `MMMA1 0${T0} ${'a'.repeat(32)} ${'b'.repeat(64)} x`, `MMMA1 ${T0} ${'A'.repeat(32)} ${'b'.repeat(64)} x`]) {
    assert.equal(codeOf(verifyRequest(SECRET, line, T0, cache)), 'AUTH_MALFORMED', JSON.stringify(line));
  }
  assert.equal(cache.size, 0);
});

void test('bad MAC, wrong secret and a tampered payload, timestamp or nonce are refused', () => {
  const { line } = signRequest(SECRET, 'SET_STATUS|1|db1|ONLINE||db1', T0);
  const parts = line.split(' ');
  const tampered = [
    line.replace('ONLINE', 'ADMIN_OFFLINE'),
    [parts[0], String(T0 + 1), ...parts.slice(2)].join(' '),
    [parts[0], parts[1], 'f'.repeat(32), ...parts.slice(3)].join(' '),
    [parts[0], parts[1], parts[2], '0'.repeat(64), ...parts.slice(4)].join(' '),
    `${line} `,
  ];
  for (const t of tampered) assert.equal(codeOf(verifyRequest(SECRET, t, T0, new NonceCache())), 'AUTH_BAD_MAC', t);
  assert.equal(codeOf(verifyRequest('another secret', line, T0, new NonceCache())), 'AUTH_BAD_MAC');
});

void test('stale or future timestamps outside the window are refused; the window edge is accepted', () => {
  const cache = new NonceCache({ windowMs: 30_000 });
  const old = signRequest(SECRET, 'PING|1|db1', T0);
  assert.equal(codeOf(verifyRequest(SECRET, old.line, T0 + 30_001, cache)), 'AUTH_STALE');
  assert.equal(codeOf(verifyRequest(SECRET, old.line, T0 - 30_001, cache)), 'AUTH_STALE');
  assert.equal(codeOf(verifyRequest(SECRET, old.line, T0 + 30_000, cache)), 'ok');
});

void test('a replayed request is refused at once and later within the window, then stale', () => {
  const cache = new NonceCache();
  const { line } = signRequest(SECRET, 'SET_STATUS|1|db1|ONLINE|writer(10.0.0.100)|db1', T0);
  assert.equal(codeOf(verifyRequest(SECRET, line, T0, cache)), 'ok');
  assert.equal(codeOf(verifyRequest(SECRET, line, T0, cache)), 'AUTH_REPLAY');
  assert.equal(codeOf(verifyRequest(SECRET, line, T0 + 29_000, cache)), 'AUTH_REPLAY');
  assert.equal(codeOf(verifyRequest(SECRET, line, T0 + 31_000, cache)), 'AUTH_STALE');
});

void test('the nonce cache stays bounded: expired nonces are dropped, a cache full of live ones fails closed', () => {
  const cache = new NonceCache({ windowMs: 1000, maxEntries: 3 });
  for (let i = 0; i < 3; i++) assert.equal(cache.check(`n${i}`, T0, T0), 'fresh');
  assert.equal(cache.check('n3', T0, T0), 'full');
  assert.equal(cache.check('n0', T0, T0), 'replay');
  assert.equal(cache.size, 3);
  assert.equal(cache.check('n4', T0 + 2000, T0 + 2000), 'fresh');
  assert.equal(cache.size, 1);
  // A flood of authentic requests over a long time never holds more than maxEntries.
  const big = new NonceCache({ windowMs: 1000, maxEntries: 100 });
  let full = 0;
  for (let i = 0; i < 20_000; i++) {
    const now = T0 + i;
    if (big.check(`f${i}`, now, now) === 'full') full++;
    assert.ok(big.size <= 100);
  }
  assert.ok(full > 0);
  // Unauthenticated lines never reach the cache.
  const c = new NonceCache({ maxEntries: 1 });
  for (let i = 0; i < 100; i++) verifyRequest(SECRET, `MMMA1 ${T0} ${i.toString(16).padStart(32, '0')} ${'0'.repeat(64)} x`, T0, c);
  assert.equal(c.size, 0);
});

void test('a response verifies only for its own request, fresh, untampered', () => {
  const req = signRequest(SECRET, 'PING|1|db1', T0);
  const res = signResponse(SECRET, 'OK: Pinged!|UP:12.00', req.nonce, T0 + 5);
  assert.deepEqual(verifyResponse(SECRET, res, req.nonce, T0 + 10), { ok: true, value: 'OK: Pinged!|UP:12.00' });
  // Replayed response: an old answer to an earlier request, offered for a new request.
  const next = signRequest(SECRET, 'PING|1|db1', T0 + 100);
  assert.equal(codeOf(verifyResponse(SECRET, res, next.nonce, T0 + 100)), 'AUTH_BAD_MAC');
  // Forged: signed with another secret; tampered payload; a request line reflected as a response.
  assert.equal(codeOf(verifyResponse(SECRET, signResponse('guess', 'OK: Pinged!', req.nonce, T0), req.nonce, T0)), 'AUTH_BAD_MAC');
  assert.equal(codeOf(verifyResponse(SECRET, res.replace('Pinged', 'Pinged?'), req.nonce, T0)), 'AUTH_BAD_MAC');
  assert.equal(codeOf(verifyResponse(SECRET, req.line, req.nonce, T0)), 'AUTH_BAD_MAC');
  assert.equal(codeOf(verifyResponse(SECRET, res, req.nonce, T0 + 60_000)), 'AUTH_STALE');
  assert.equal(codeOf(verifyResponse(SECRET, 'OK: Pinged!|UP:1.00', req.nonce, T0)), 'AUTH_MALFORMED');
  assert.equal(codeOf(verifyResponse(SECRET, 'ERROR: authentication failed', req.nonce, T0)), 'AUTH_REJECTED');
});

void test('fuzz: verifyRequest/verifyResponse never throw and return a known code (20000 inputs)', () => {
  const rng = createRng(fuzzSeed(0xa117));
  const cache = new NonceCache({ maxEntries: 1000 });
  const good = signRequest(SECRET, 'SET_STATUS|1|db1|ONLINE||db1', T0).line;
  const alphabet = ['MMMA1', ' ', '0', '1', 'a', 'f', 'g', '|', '\r', '\0', '\n', 'é', '\uD800'];
  for (let i = 0; i < 20_000; i++) {
    let line: string;
    if (rng.next() < 0.5) {
      const chars = [...good];
      const edits = 1 + rng.int(3);
      for (let e = 0; e < edits; e++) chars.splice(rng.int(chars.length + 1), rng.int(3), rng.pick(alphabet));
      line = chars.join('');
    } else {
      line = Array.from({ length: rng.int(20) }, () => rng.pick(alphabet)).join('');
    }
    const a = verifyRequest(SECRET, line, T0, cache);
    const b = verifyResponse(SECRET, line, 'a'.repeat(32), T0);
    for (const r of [a, b]) {
      if (!r.ok) assert.ok((AUTH_ERROR_CODES as readonly string[]).includes(r.error.code), `seed ${rng.seed} case ${i}`);
    }
    if (a.ok) assert.equal(line, good, `seed ${rng.seed} case ${i}: only the untouched line may verify`);
  }
});

void test('frames built by hand from the docs/protocol.md recipe interoperate', () => {
  const secret = 's3cret';
  const hmac = (s: string): string => createHmac('sha256', secret).update(s, 'utf8').digest('hex');
  const reqNonce = '00112233445566778899aabbccddeeff';
  const req = `MMMA1 1700000000000 ${reqNonce} ${hmac(`req\n1700000000000\n${reqNonce}\nPING|1|db1`)} PING|1|db1`;
  assert.deepEqual(verifyRequest(secret, req, 1_700_000_000_000, new NonceCache()),
    { ok: true, value: { payload: 'PING|1|db1', nonce: reqNonce } });
  const resNonce = 'ffeeddccbbaa99887766554433221100';
  const payload = 'OK: Pinged!|UP:3124.06';
  const res = `MMMA1 1700000000012 ${resNonce} ${hmac(`res\n1700000000012\n${reqNonce}\n${resNonce}\n${payload}`)} ${payload}`;
  assert.deepEqual(verifyResponse(secret, res, reqNonce, 1_700_000_000_012), { ok: true, value: payload });
});
