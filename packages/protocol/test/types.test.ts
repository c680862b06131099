import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOST_STATES, formatRole, isHostState, parseRole, parseRoleList, sortRoles, formatRoleList } from '../src/types.js';

void test('isHostState accepts exactly the MMM states, case-sensitive', () => {
  for (const s of HOST_STATES) assert.equal(isHostState(s), true);
  for (const s of ['online', 'ONLINE ', '', 'FOO', 'ONLINE\r']) assert.equal(isHostState(s), false, s);
});

void test('parseRole reads name(ip) and formatRole writes it back', () => {
  for (const text of ['writer(10.202.0.100)', 'reader(192.168.0.51)', 'r_1.x-y(fe80::1)']) {
    const r = parseRole(text);
    assert.ok(r.ok, text);
    assert.equal(formatRole(r.value), text);
  }
  assert.deepEqual(parseRole('writer(10.0.0.1)'), { ok: true, value: { name: 'writer', ip: '10.0.0.1' } });
});

void test('parseRole refuses anything that could carry shell or SQL text', () => {
  for (const text of ['', 'writer', 'writer()', '(1.2.3.4)', 'w(1.2.3.4', 'w(1.2.3.4))', 'w(1.2.3.4;rm -rf /)',
    'w(1.2.3.4) ', 'w x(1.2.3.4)', "w'(1.2.3.4)", 'w(1.2.3.4)(5.6.7.8)', 'w($(id))']) {
    const r = parseRole(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) {
      assert.equal(r.error.code, 'PROTO_BAD_ROLE');
      assert.equal(r.error.reply, `ERROR: Invalid role '${text}'!`);
    }
  }
});

void test('parseRoleList: empty string is no roles, order kept, one bad role fails the list', () => {
  assert.deepEqual(parseRoleList(''), { ok: true, value: [] });
  const r = parseRoleList('reader(10.202.0.102),writer(10.202.0.100)');
  assert.ok(r.ok);
  assert.deepEqual(r.value, [{ name: 'reader', ip: '10.202.0.102' }, { name: 'writer', ip: '10.202.0.100' }]);
  assert.equal(formatRoleList(r.value), 'reader(10.202.0.102),writer(10.202.0.100)');
  for (const bad of [',', 'a(1.1.1.1),', ',a(1.1.1.1)', 'a(1.1.1.1),,b(2.2.2.2)', 'a(1.1.1.1),b']) {
    assert.equal(parseRoleList(bad).ok, false, bad);
  }
});

void test('sortRoles orders by the name(ip) string like Perl sort, without mutating its input', () => {
  const roles = [
    { name: 'writer', ip: '10.202.0.100' },
    { name: 'reader', ip: '10.202.0.102' },
    { name: 'reader', ip: '10.202.0.101' },
    { name: 'Z', ip: '1.1.1.1' },
  ];
  const copy = roles.map((r) => ({ ...r }));
  assert.deepEqual(sortRoles(roles).map(formatRole),
    ['Z(1.1.1.1)', 'reader(10.202.0.101)', 'reader(10.202.0.102)', 'writer(10.202.0.100)']);
  assert.deepEqual(roles, copy);
});
