import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerFlavor } from '@mmm-ts/protocol/mysql';
import { agentRequirements, canReadAllGrants, judgeBypass, missingPrivileges, parseGrants } from '../../src/preflight/grants.js';

const maria = (v: string) => {
  const f = parseServerFlavor(v, '');
  assert.ok(f);
  return f;
};

test('parseGrants reads global and per-database grants, ALL and GRANT OPTION', () => {
  const g = parseGrants([
    "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED VIA unix_socket WITH GRANT OPTION",
    'GRANT SELECT, INSERT ON `mysql`.* TO `x`@`%`',
    'GRANT `somerole` TO `x`@`%`',
  ]);
  assert.ok(g.global.has('ALL PRIVILEGES') && g.global.has('GRANT OPTION'));
  assert.ok(g.byDb.get('mysql')?.has('SELECT'));
  assert.ok(canReadAllGrants(g));
  assert.ok(!canReadAllGrants(parseGrants(['GRANT PROCESS ON *.* TO `a`@`%`', 'GRANT SELECT ON `app`.* TO `a`@`%`'])));
});

test('SUPER no longer covers READ_ONLY ADMIN from MariaDB 10.11; it still does in 10.6', () => {
  const g = parseGrants(['GRANT SUPER, SLAVE MONITOR, PROCESS ON *.* TO `a`@`%`']);
  assert.deepEqual(missingPrivileges(g, agentRequirements(maria('10.11.6-MariaDB'))), ['READ_ONLY ADMIN']);
  assert.deepEqual(missingPrivileges(g, agentRequirements(maria('10.6.1-MariaDB'))), []);
  assert.deepEqual(missingPrivileges(parseGrants(['GRANT ALL PRIVILEGES ON *.* TO `a`@`%`']), agentRequirements(maria('10.11.6-MariaDB'))), []);
});

test('judgeBypass: exempt users skipped, grantable holders are administrators, the rest offenders', () => {
  const v = judgeBypass([
    { grantee: "'app'@'%'", privilege: 'READ_ONLY ADMIN', grantable: false },
    { grantee: "'mmm_agent'@'10.%'", privilege: 'READ_ONLY ADMIN', grantable: false },
    { grantee: "'root'@'localhost'", privilege: 'READ_ONLY ADMIN', grantable: true },
    { grantee: "'app'@'%'", privilege: 'SELECT', grantable: false },
  ], ['READ_ONLY ADMIN'], ['mmm_agent']);
  assert.deepEqual(v, { offenders: ['app@%'], admins: ['root@localhost'] });
});
