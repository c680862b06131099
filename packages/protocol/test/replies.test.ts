import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REPLY_AUTH_FAILED, REPLY_INTERNAL_ERROR, REPLY_PINGED, REPLY_RETURNING_STATUS, REPLY_STATUS_APPLIED,
  agentStatusReply, errorReply, invalidCommandReply, isErrorReply, lineTooLongReply, parseAgentStatusReply,
  parseRemovedRolesReply, parseSystemStatusReply, removedRolesReply, systemStatusReply,
  type AgentStatus, type SystemStatus,
} from '../src/replies.js';

void test('MMM reply constants are byte-exact', () => {
  assert.equal(REPLY_PINGED, 'OK: Pinged!');
  assert.equal(REPLY_STATUS_APPLIED, 'OK: Status applied successfully!');
  assert.equal(REPLY_RETURNING_STATUS, 'OK: Returning status!');
  assert.equal(removedRolesReply(0), 'OK: Removed 0 roles');
  assert.equal(invalidCommandReply('FOO'), "ERROR: Invalid command 'FOO'!");
  assert.equal(REPLY_AUTH_FAILED, 'ERROR: authentication failed');
  assert.equal(REPLY_INTERNAL_ERROR, 'ERROR: internal error');
  assert.equal(errorReply('x'), 'ERROR: x');
  assert.equal(lineTooLongReply(65536), 'ERROR: Line too long (more than 65536 bytes)!');
});

void test('agent status reply round-trips, transcript lines parse', () => {
  const statuses: AgentStatus[] = [
    { state: 'ONLINE', roles: [{ name: 'reader', ip: '10.202.0.102' }, { name: 'writer', ip: '10.202.0.100' }], master: '' },
    { state: 'UNKNOWN', roles: [], master: '' },
    { state: 'ONLINE', roles: [{ name: 'reader', ip: '10.202.0.101' }], master: 'db1' },
  ];
  for (const s of statuses) assert.deepEqual(parseAgentStatusReply(agentStatusReply(s)), { ok: true, value: s });
  assert.equal(agentStatusReply(statuses[2]!), 'OK: Returning status!|ONLINE|reader(10.202.0.101)|db1');
  assert.equal(agentStatusReply(statuses[0]!), 'OK: Returning status!|ONLINE|reader(10.202.0.102),writer(10.202.0.100)|');
  for (const bad of ['OK: Pinged!', 'OK: Returning status!|ONLINE|', 'OK: Returning status!|NOPE||',
    'OK: Returning status!|ONLINE|x||', 'OK: Returning status!|ONLINE|||extra']) {
    const r = parseAgentStatusReply(bad);
    assert.equal(r.ok ? '' : r.error.code, 'PROTO_BAD_REPLY', bad);
  }
});

void test('system status reply round-trips: writable 1 or empty, roles in given order', () => {
  const statuses: SystemStatus[] = [
    { writable: true, roles: [{ name: 'writer', ip: '10.202.0.100' }, { name: 'reader', ip: '10.202.0.102' }], masterIp: '10.202.0.12' },
    { writable: false, roles: [{ name: 'reader', ip: '10.202.0.101' }], masterIp: '10.202.0.11' },
    { writable: false, roles: [], masterIp: '' },
  ];
  for (const s of statuses) assert.deepEqual(parseSystemStatusReply(systemStatusReply(s)), { ok: true, value: s });
  assert.equal(systemStatusReply(statuses[0]!), 'OK: Returning status!|1|writer(10.202.0.100),reader(10.202.0.102)|10.202.0.12');
  assert.equal(systemStatusReply(statuses[1]!), 'OK: Returning status!||reader(10.202.0.101)|10.202.0.11');
  const zero = parseSystemStatusReply('OK: Returning status!|0||');
  assert.ok(zero.ok && !zero.value.writable);
  assert.equal(parseSystemStatusReply('OK: Returning status!|yes||').ok, false);
});

void test('removed-roles reply round-trips; isErrorReply follows MMM /^OK/', () => {
  for (const n of [0, 1, 17]) assert.deepEqual(parseRemovedRolesReply(removedRolesReply(n)), { ok: true, value: n });
  assert.equal(parseRemovedRolesReply('OK: Removed x roles').ok, false);
  assert.equal(parseRemovedRolesReply('OK: Removed 1 roles ').ok, false);
  assert.equal(isErrorReply('OK: Pinged!'), false);
  assert.equal(isErrorReply("ERROR: Invalid command ''!"), true);
  assert.equal(isErrorReply(''), true);
});
