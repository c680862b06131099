import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer, type FrameEvent } from '../src/framer.js';
import { createRng, fuzzSeed, type Rng } from './support/prng.js';

const lines = (evs: FrameEvent[]): string[] => evs.map((e) => (e.type === 'line' ? e.line : `!${e.code}`));

function frameAll(chunks: Buffer[], max: number): FrameEvent[] {
  const f = new LineFramer(max);
  const out: FrameEvent[] = [];
  for (const c of chunks) out.push(...f.push(c));
  out.push(...f.end());
  return out;
}

void test('splits on \\n only, keeps \\r, empty lines are lines', () => {
  const f = new LineFramer();
  assert.deepEqual(lines(f.push(Buffer.from('PING|1|db1\r\n\nGET_AGENT_STATUS|1|db1\nPART'))),
    ['PING|1|db1\r', '', 'GET_AGENT_STATUS|1|db1']);
  assert.equal(f.pendingBytes, 4);
  assert.deepEqual(lines(f.push(Buffer.from('IAL\n'))), ['PARTIAL']);
  assert.deepEqual(lines(f.end()), []);
});

void test('end() delivers a final line without newline (MMM accepts it)', () => {
  const f = new LineFramer();
  assert.deepEqual(lines(f.push(Buffer.from('PING|1|db1'))), []);
  assert.deepEqual(lines(f.end()), ['PING|1|db1']);
});

void test('a line over the limit gives one error at once, is discarded, and the next line is served', () => {
  const f = new LineFramer(8);
  assert.deepEqual(lines(f.push(Buffer.from('12345678\n'))), ['12345678']);
  assert.deepEqual(lines(f.push(Buffer.from('123456789'))), ['!PROTO_LINE_TOO_LONG']);
  assert.deepEqual(lines(f.push(Buffer.from('more garbage'))), []);
  assert.equal(f.pendingBytes, 0);
  assert.deepEqual(lines(f.push(Buffer.from('x\nPING\n'))), ['PING']);
  assert.deepEqual(lines(f.push(Buffer.from('123456789'))), ['!PROTO_LINE_TOO_LONG']);
  assert.deepEqual(lines(f.end()), []);
});

void test('invalid UTF-8 drops the line with an error; multi-byte chars split across chunks are fine', () => {
  const bad = Buffer.from([0x61, 0xff, 0x62, 0x0a, 0x63, 0x0a]);
  assert.deepEqual(lines(new LineFramer().push(bad)), ['!PROTO_INVALID_UTF8', 'c']);
  const text = Buffer.from('héllo €uro 😀\n');
  const f = new LineFramer();
  const out: FrameEvent[] = [];
  for (const byte of text) out.push(...f.push(Buffer.from([byte])));
  assert.deepEqual(lines(out), ['héllo €uro 😀']);
  // A surrogate encoded as UTF-8 (CESU) and an overlong '/' are not UTF-8.
  assert.deepEqual(lines(new LineFramer().push(Buffer.from([0xed, 0xa0, 0x80, 0x0a, 0xc0, 0xaf, 0x0a]))),
    ['!PROTO_INVALID_UTF8', '!PROTO_INVALID_UTF8']);
});

// An independent model of the framing rules, on the whole input at once.
function oracle(input: Buffer, max: number): string[] {
  const out: string[] = [];
  const dec = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (;;) {
    const nl = input.indexOf(0x0a, start);
    const seg = input.subarray(start, nl === -1 ? input.length : nl);
    if (seg.length > max) out.push('!PROTO_LINE_TOO_LONG');
    else if (nl !== -1 || seg.length > 0) {
      try {
        out.push(dec.decode(seg));
      } catch {
        out.push('!PROTO_INVALID_UTF8');
      }
    }
    if (nl === -1) return out;
    start = nl + 1;
  }
}

const PIECES = ['PING|1|db1', '\n', '\r\n', '|', 'é', '€', '😀', 'SET_STATUS|1|db1|ONLINE||', '\n\n', 'x'];

function randomInput(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  const n = rng.int(12);
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.3) {
      const bytes = Buffer.alloc(rng.int(6));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rng.int(256);
      parts.push(bytes);
    } else {
      parts.push(Buffer.from(rng.pick(PIECES)));
    }
  }
  return Buffer.concat(parts);
}

function randomSplit(rng: Rng, input: Buffer): Buffer[] {
  if (rng.next() < 0.1) return [...input].map((b) => Buffer.from([b]));
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < input.length) {
    const len = 1 + rng.int(Math.max(1, input.length - at));
    chunks.push(input.subarray(at, at + len));
    at += len;
  }
  return chunks;
}

void test('fuzz: framing is split-invariant and matches the model (30000 inputs)', () => {
  const rng = createRng(fuzzSeed(0xf4a3e));
  for (let i = 0; i < 30000; i++) {
    const input = randomInput(rng);
    const max = rng.pick([0, 1, 4, 16, 64, 65536]);
    const whole = lines(frameAll([input], max));
    const expected = oracle(input, max);
    assert.deepEqual(whole, expected, `seed ${rng.seed} case ${i}: whole vs model for ${input.toString('hex')}`);
    const split = lines(frameAll(randomSplit(rng, input), max));
    assert.deepEqual(split, whole, `seed ${rng.seed} case ${i}: split vs whole for ${input.toString('hex')}`);
  }
});
