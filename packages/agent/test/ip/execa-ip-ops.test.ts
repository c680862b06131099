import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpAddrShow } from '../../src/ip/execa-ip-ops.js';

void test('parseIpAddrShow returns the IPv4 addresses without prefix lengths', () => {
  const out =
    '2: eth0    inet 10.200.20.11/24 brd 10.200.20.255 scope global eth0\\       valid_lft forever preferred_lft forever\n' +
    '2: eth0    inet 10.200.20.100/32 scope global eth0\\       valid_lft forever preferred_lft forever\n';
  assert.deepEqual(parseIpAddrShow(out), ['10.200.20.11', '10.200.20.100']);
  assert.deepEqual(parseIpAddrShow(''), []);
});
