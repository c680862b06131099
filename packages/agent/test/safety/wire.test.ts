// Extension replies round-trip through their parsers; malformed replies are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkHostReply, fenceStatusReply, parseCheckHostReply, parseFenceStatusReply, parseDenyMs, parseLeaseMs, parsePeerStatusReply, peerStatusReply,
} from '../../src/safety/wire.js';

test('replies round-trip', () => {
  assert.deepEqual(parsePeerStatusReply(peerStatusReply({ sinceMonitorMs: 12.7, state: 'ONLINE', deniesAsker: true })), { ok: true, value: { sinceMonitorMs: 12, state: 'ONLINE', deniesAsker: true } });
  assert.deepEqual(parsePeerStatusReply(peerStatusReply({ sinceMonitorMs: null, state: 'UNKNOWN', deniesAsker: false })), { ok: true, value: { sinceMonitorMs: null, state: 'UNKNOWN', deniesAsker: false } });
  assert.equal(peerStatusReply({ sinceMonitorMs: 5, state: 'ONLINE', deniesAsker: null }), 'OK: Returning status!|5|ONLINE|');
  assert.deepEqual(parsePeerStatusReply('OK: Returning status!|7|ONLINE'), { ok: true, value: { sinceMonitorMs: 7, state: 'ONLINE', deniesAsker: null } }, 'an older agent');
  const c = { mysql: 'refused', replication: 'io_connecting', detail: 'a|b\nc' } as const;
  assert.equal(checkHostReply(c), 'OK: Returning status!|refused|io_connecting|a b c');
  assert.deepEqual(parseCheckHostReply(checkHostReply(c)), { ok: true, value: { ...c, detail: 'a b c' } });
  assert.deepEqual(parseFenceStatusReply(fenceStatusReply({ fenced: true, leaseRemainingMs: null, sinceMs: 40 })), { ok: true, value: { fenced: true, leaseRemainingMs: null, sinceMs: 40 } });
});

test('malformed replies and parameters are refused', () => {
  assert.equal(parsePeerStatusReply('OK: Returning status!|x|ONLINE').ok, false);
  assert.equal(parsePeerStatusReply('OK: Returning status!|1|ONLINE|yes').ok, false);
  assert.equal(parsePeerStatusReply('OK: Returning status!|1|ONLINE||').ok, false);
  assert.deepEqual(parseDenyMs(undefined), { ok: true, value: null });
  assert.deepEqual(parseDenyMs('4000'), { ok: true, value: 4000 });
  assert.equal(parseDenyMs('-1').ok, false);
  assert.equal(parsePeerStatusReply("ERROR: Invalid command 'PEER_STATUS'!").ok, false);
  assert.equal(parseCheckHostReply('OK: Returning status!|maybe|io_running|').ok, false);
  assert.equal(parseFenceStatusReply('OK: Returning status!|0||').ok, false);
  assert.deepEqual(parseLeaseMs(['3000']), { ok: true, value: 3000 });
  assert.equal(parseLeaseMs(['-1']).ok, false);
  assert.equal(parseLeaseMs(['3000.5']).ok, false);
});
