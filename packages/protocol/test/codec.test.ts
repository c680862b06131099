import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from '../src/codec.js';
import { hostMismatchReply } from '../src/replies.js';
import type { Request } from '../src/types.js';

const EXT = ['ACQUIRE_LEASE'];

const REQUESTS: Request[] = [
  { kind: 'PING', version: '1', host: 'db1' },
  { kind: 'GET_AGENT_STATUS', version: '1', host: 'db1' },
  { kind: 'GET_SYSTEM_STATUS', version: '2', host: 'db3' },
  { kind: 'CLEAR_BAD_ROLES', version: '1', host: 'db2' },
  { kind: 'SET_STATUS', version: '1', host: 'db2', state: 'ONLINE',
    roles: [{ name: 'reader', ip: '10.5.6.101' }, { name: 'writer', ip: '10.5.6.100' }], master: 'db2' },
  { kind: 'SET_STATUS', version: '1', host: 'db1', state: 'HARD_OFFLINE', roles: [], master: '' },
  { kind: 'EXTENSION', command: 'ACQUIRE_LEASE', version: '1', host: 'db1', params: ['5000', '', 'x y'] },
  { kind: 'EXTENSION', command: 'ACQUIRE_LEASE', version: '1', host: 'db1', params: [] },
];

void test('every request kind round-trips through encodeRequest/decodeRequest', () => {
  for (const r of REQUESTS) {
    const line = encodeRequest(r);
    assert.ok(!line.includes('\n'));
    assert.deepEqual(decodeRequest(line, { extensions: EXT }), { ok: true, value: r }, line);
    assert.deepEqual(decodeRequest(line, { extensions: new Set(EXT) }), { ok: true, value: r }, line);
  }
});

void test('encodeRequest writes MMM byte-exact lines (reference §1 and §7)', () => {
  assert.equal(encodeRequest(REQUESTS[4]!), 'SET_STATUS|1|db2|ONLINE|reader(10.5.6.101),writer(10.5.6.100)|db2');
  assert.equal(encodeRequest(REQUESTS[5]!), 'SET_STATUS|1|db1|HARD_OFFLINE||');
  assert.equal(encodeRequest(REQUESTS[0]!), 'PING|1|db1');
});

void test('the real MMM transcript requests decode', () => {
  const lines = [
    'SET_STATUS|1|db1|ONLINE|reader(10.202.0.102),writer(10.202.0.100)|db1',
    'SET_STATUS|1|db3|ONLINE|reader(10.202.0.101)|db1',
    'SET_STATUS|1|db3|ADMIN_OFFLINE||db1',
    'SET_STATUS|1|db3|ONLINE||db1',
    'SET_STATUS|1|db1|HARD_OFFLINE||',
    'GET_AGENT_STATUS|1|db1', 'GET_SYSTEM_STATUS|1|db3', 'CLEAR_BAD_ROLES|1|db2', 'PING|1|db1',
  ];
  for (const line of lines) {
    const r = decodeRequest(line);
    assert.ok(r.ok, line);
    assert.equal(encodeRequest(r.value), line);
  }
});

function replyOf(line: string): string {
  const r = decodeRequest(line);
  assert.equal(r.ok, false, line);
  return r.ok ? '' : r.error.reply;
}

void test('malformed input gets the original MMM reply text (reference §7)', () => {
  assert.equal(replyOf('FOO|1|db1'), "ERROR: Invalid command 'FOO'!");
  assert.equal(replyOf('ping|1|db1'), "ERROR: Invalid command 'ping'!");
  assert.equal(replyOf('PING|1'), "ERROR: Invalid command 'PING|1'!");
  assert.equal(replyOf(''), "ERROR: Invalid command ''!");
  assert.equal(replyOf('ACQUIRE_LEASE|1|db1'), "ERROR: Invalid command 'ACQUIRE_LEASE'!");
  const r = decodeRequest('PING|1|db1|extra');
  assert.deepEqual(r, { ok: true, value: { kind: 'PING', version: '1', host: 'db1' } });
});

void test('an unknown command still reports the host, so the agent can check the host first like MMM', () => {
  const r = decodeRequest('FOO|1|db2');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'PROTO_UNKNOWN_COMMAND');
    assert.equal(r.error.host, 'db2');
    assert.equal(r.error.command, 'FOO');
  }
});

void test('CR is kept in the host, and the host-mismatch reply is MMM byte-exact', () => {
  const r = decodeRequest('PING|1|db1\r');
  assert.ok(r.ok);
  assert.equal(r.value.host, 'db1\r');
  assert.equal(hostMismatchReply(r.value.host, 'db1'), "ERROR: Invalid hostname in command (db1\r)! My name is 'db1'");
  assert.equal(hostMismatchReply('db2', 'db1'), "ERROR: Invalid hostname in command (db2)! My name is 'db1'");
});

void test('a newline inside the input (unframed caller) is refused with a reply that keeps framing intact', () => {
  const r = decodeRequest('PING|1|db1\nPING|1|db1');
  assert.equal(r.ok ? '' : r.error.code, 'PROTO_NEWLINE_IN_LINE');
  assert.equal(r.ok ? '' : r.error.reply, 'ERROR: Newline inside a command!');
});

void test('versions: other numbers accepted, non-numbers and empty refused without crashing (MMM died)', () => {
  const v2 = decodeRequest('PING|2|db1');
  assert.ok(v2.ok);
  assert.equal(v2.value.version, '2');
  assert.equal(replyOf('PING|x|db3'), "ERROR: Invalid protocol version 'x'!");
  assert.equal(replyOf('PING||db3'), "ERROR: Invalid protocol version ''!");
  const r = decodeRequest('PING|1.0|db3');
  assert.equal(r.ok ? '' : r.error.code, 'PROTO_BAD_VERSION');
});

void test('SET_STATUS with missing, bad state or bad roles gives a typed error and a clear reply', () => {
  const cases: [string, string, string][] = [
    ['SET_STATUS|1|db3', 'PROTO_MISSING_PARAMS', 'ERROR: SET_STATUS needs 3 parameters (state, roles, master), got 0!'],
    ['SET_STATUS|1|db3|ONLINE|', 'PROTO_MISSING_PARAMS', 'ERROR: SET_STATUS needs 3 parameters (state, roles, master), got 2!'],
    ['SET_STATUS|1|db3|online||db1', 'PROTO_BAD_STATE', "ERROR: Invalid state 'online'!"],
    ['SET_STATUS|1|db3|ONLINE|writer(1.2.3.4;reboot)|db1', 'PROTO_BAD_ROLE', "ERROR: Invalid role 'writer(1.2.3.4;reboot)'!"],
  ];
  for (const [line, code, reply] of cases) {
    const r = decodeRequest(line);
    assert.equal(r.ok, false, line);
    if (!r.ok) {
      assert.equal(r.error.code, code, line);
      assert.equal(r.error.reply, reply, line);
      assert.equal(r.error.host, 'db3');
    }
  }
});

void test('encodeRequest throws on a request that could not round-trip (a caller bug)', () => {
  assert.throws(() => encodeRequest({ kind: 'PING', version: '1', host: 'db|1' }), RangeError);
  assert.throws(() => encodeRequest({ kind: 'PING', version: 'x', host: 'db1' }), RangeError);
  assert.throws(() => encodeRequest({ kind: 'SET_STATUS', version: '1', host: 'db1', state: 'ONLINE',
    roles: [{ name: 'w', ip: '1.1.1.1,x(2.2.2.2)' }], master: '' }), RangeError);
  assert.throws(() => encodeRequest({ kind: 'EXTENSION', command: 'PING', version: '1', host: 'db1', params: [] }), RangeError);
  assert.throws(() => encodeRequest({ kind: 'EXTENSION', command: 'X', version: '1', host: 'db1', params: ['a\nb'] }), RangeError);
});

void test('encodeReply prints the uptime with 2 decimals like /proc/uptime', () => {
  assert.equal(encodeReply('OK: Status applied successfully!', 3042.04), 'OK: Status applied successfully!|UP:3042.04');
  assert.equal(encodeReply('OK: Pinged!', 3124.06), 'OK: Pinged!|UP:3124.06');
  assert.equal(encodeReply('OK: Pinged!', 5), 'OK: Pinged!|UP:5.00');
  assert.equal(encodeReply('OK: Pinged!', Number.NaN), 'OK: Pinged!|UP:0.00');
});

void test('decodeReply strips |UP: and splits the status fields, empty fields kept', () => {
  const r = decodeReply('OK: Returning status!|ONLINE|reader(10.202.0.102),writer(10.202.0.100)||UP:3048.90');
  assert.deepEqual(r, { ok: true, value: {
    payload: 'OK: Returning status!|ONLINE|reader(10.202.0.102),writer(10.202.0.100)|',
    uptime: 3048.9, ok: true, message: 'OK: Returning status!',
    fields: ['ONLINE', 'reader(10.202.0.102),writer(10.202.0.100)', ''],
  } });
  const e = decodeReply("ERROR: Invalid command 'FOO'!|UP:12.00");
  assert.ok(e.ok);
  assert.equal(e.value.ok, false);
  assert.equal(e.value.payload, "ERROR: Invalid command 'FOO'!");
  const plain = decodeReply('ERROR: authentication failed');
  assert.ok(plain.ok);
  assert.equal(plain.value.uptime, null);
  for (const bad of ['', 'hello', 'OK: Pinged!|UP:', 'OK: Pinged!|UP:abc', 'OK: Pinged!|UP:1.2.3']) {
    const b = decodeReply(bad);
    assert.equal(b.ok ? '' : b.error.code, 'PROTO_BAD_REPLY', bad);
  }
});

void test('every reply from the real transcript decodes and re-encodes byte-exact', () => {
  const lines = [
    'OK: Status applied successfully!|UP:3042.04',
    'OK: Returning status!|ONLINE|reader(10.202.0.102),writer(10.202.0.100)||UP:3048.90',
    'OK: Returning status!|ONLINE|reader(10.202.0.101)|db1|UP:3049.12',
    'OK: Returning status!|1|writer(10.202.0.100),reader(10.202.0.102)|10.202.0.12|UP:3049.12',
    'OK: Returning status!||reader(10.202.0.101)|10.202.0.11|UP:3049.28',
    'OK: Removed 0 roles|UP:3049.54',
    'OK: Pinged!|UP:3124.06',
  ];
  for (const line of lines) {
    const r = decodeReply(line);
    assert.ok(r.ok, line);
    assert.equal(encodeReply(r.value.payload, r.value.uptime ?? -1), line);
  }
});
