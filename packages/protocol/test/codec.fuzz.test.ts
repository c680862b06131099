import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from '../src/codec.js';
import { DECODE_ERROR_CODES } from '../src/errors.js';
import { parseAgentStatusReply, parseRemovedRolesReply, parseSystemStatusReply } from '../src/replies.js';
import { createRng, fuzzSeed, type Rng } from './support/prng.js';

const CODES: readonly string[] = DECODE_ERROR_CODES;
const EXT = new Set(['ACQUIRE_LEASE', 'CHECK_PEER']);

const VALID = [
  'SET_STATUS|1|db1|ONLINE|reader(10.202.0.102),writer(10.202.0.100)|db1',
  'SET_STATUS|1|db3|ADMIN_OFFLINE||db1',
  'SET_STATUS|1|db1|HARD_OFFLINE||',
  'GET_AGENT_STATUS|1|db1',
  'GET_SYSTEM_STATUS|1|db3',
  'CLEAR_BAD_ROLES|1|db2',
  'PING|1|db1',
  'ACQUIRE_LEASE|1|db1|5000|abc',
];
const TOKENS = ['|', ',', '(', ')', '\r', '\n', '\0', ' ', '1', 'x', 'é', '😀', '\uD800', 'ONLINE', 'PING', 'writer',
  '10.0.0.1', "'", '$(id)', ';', '|UP:', '..'];

function randomString(rng: Rng): string {
  const n = rng.int(24);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.next() < 0.5 ? String.fromCharCode(rng.int(0x10000)) : rng.pick(TOKENS);
  return s;
}

function mutate(rng: Rng, line: string): string {
  const chars = [...line];
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(chars.length + 1);
    const op = rng.int(3);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, rng.pick(TOKENS));
    else chars.splice(at, 1 + rng.int(3), randomString(rng));
  }
  return chars.join('');
}

// The properties every decode must satisfy: a value or a known error, never an exception, and a
// decoded value encodes to a line that decodes to the same value.
function checkLine(line: string, where: string): void {
  const r = decodeRequest(line, { extensions: EXT });
  if (!r.ok) {
    assert.ok(CODES.includes(r.error.code), `${where}: unknown code ${r.error.code}`);
    assert.ok(r.error.reply.startsWith('ERROR: '), where);
    return;
  }
  const again = decodeRequest(encodeRequest(r.value), { extensions: EXT });
  assert.deepEqual(again, r, `${where}: re-encoding changed ${JSON.stringify(line)}`);
}

void test('fuzz: decodeRequest is total and round-trips on random strings (30000)', () => {
  const rng = createRng(fuzzSeed(0xc0dec));
  for (let i = 0; i < 30_000; i++) checkLine(randomString(rng), `seed ${rng.seed} random ${i}`);
});

void test('fuzz: decodeRequest is total and round-trips on mutated valid lines (30000)', () => {
  const rng = createRng(fuzzSeed(0xbeef));
  for (let i = 0; i < 30_000; i++) checkLine(mutate(rng, rng.pick(VALID)), `seed ${rng.seed} mutated ${i}`);
});

void test('decodeRequest survives huge and pathological lines', () => {
  const huge = 'P'.repeat(1 << 20);
  for (const line of [huge, `PING|1|${huge}`, '|'.repeat(100_000), `SET_STATUS|1|db1|ONLINE|${'w(1.1.1.1),'.repeat(10_000)}|`,
    '\0\0\0', '\r', '\uD800|\uDFFF|x']) {
    checkLine(line, `pathological ${line.length}`);
  }
  const r = decodeRequest(huge);
  assert.equal(r.ok ? '' : r.error.reply, `ERROR: Invalid command '${huge}'!`);
});

void test('fuzz: reply decoding and parsing are total (15000)', () => {
  const rng = createRng(fuzzSeed(0x5eed));
  const replies = [
    'OK: Returning status!|ONLINE|reader(10.202.0.101)|db1|UP:3049.12',
    'OK: Returning status!|1|writer(10.202.0.100),reader(10.202.0.102)|10.202.0.12|UP:3049.12',
    'OK: Removed 0 roles|UP:3049.54',
    'OK: Pinged!|UP:3124.06',
  ];
  for (let i = 0; i < 15_000; i++) {
    const line = rng.next() < 0.5 ? mutate(rng, rng.pick(replies)) : randomString(rng);
    const r = decodeReply(line);
    if (!r.ok) {
      assert.equal(r.error.code, 'PROTO_BAD_REPLY');
      continue;
    }
    if (r.value.uptime !== null) {
      // An uptime as printed by encodeReply round-trips exactly.
      const text = line.slice(line.lastIndexOf('|UP:') + 4);
      if (/^(0|[1-9]\d*)\.\d\d$/.test(text)) assert.equal(encodeReply(r.value.payload, r.value.uptime), line, `seed ${rng.seed} case ${i}`);
    }
    const parsed = [parseAgentStatusReply(r.value.payload), parseSystemStatusReply(r.value.payload), parseRemovedRolesReply(r.value.payload)];
    for (const x of parsed) if (!x.ok) assert.equal(x.error.code, 'PROTO_BAD_REPLY');
  }
});
