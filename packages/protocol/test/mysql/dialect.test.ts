import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectFor, parseServerFlavor, type ServerFlavor } from '../../src/mysql/index.js';

function flavor(version: string, comment = ''): ServerFlavor {
  const f = parseServerFlavor(version, comment);
  assert.ok(f, `parse ${version}`);
  return f;
}

const MARIA_1011 = flavor('10.11.6-MariaDB-0+deb12u1-log', 'Debian 12');
const MARIA_104 = flavor('10.4.32-MariaDB', 'mariadb.org binary distribution');
const MARIA_11 = flavor('11.4.2-MariaDB', 'MariaDB Server');
const MYSQL_57 = flavor('5.7.44-log', 'MySQL Community Server (GPL)');
const MYSQL_80_OLD = flavor('8.0.20', 'MySQL Community Server - GPL');
const MYSQL_80 = flavor('8.0.36', 'MySQL Community Server - GPL');
const MYSQL_84 = flavor('8.4.0', 'MySQL Community Server - GPL');

void test('parseServerFlavor tells MariaDB from MySQL by version text or comment', () => {
  assert.deepEqual(
    { kind: MARIA_1011.kind, major: MARIA_1011.major, minor: MARIA_1011.minor, patch: MARIA_1011.patch },
    { kind: 'mariadb', major: 10, minor: 11, patch: 6 },
  );
  assert.equal(flavor('5.5.5-10.6.12-MariaDB').major, 10);
  assert.equal(flavor('10.6.1', 'MariaDB Server').kind, 'mariadb');
  assert.equal(MYSQL_84.kind, 'mysql');
  assert.equal(parseServerFlavor('garbage', ''), null);
});

void test('replica status / binlog status / start-stop statements per flavour and version', () => {
  const table: [ServerFlavor, string, string, string, string][] = [
    [MARIA_104, 'SHOW SLAVE STATUS', 'SHOW MASTER STATUS', 'STOP SLAVE', 'START SLAVE'],
    [MARIA_1011, 'SHOW REPLICA STATUS', 'SHOW BINLOG STATUS', 'STOP REPLICA', 'START REPLICA'],
    [MARIA_11, 'SHOW REPLICA STATUS', 'SHOW BINLOG STATUS', 'STOP REPLICA', 'START REPLICA'],
    [MYSQL_57, 'SHOW SLAVE STATUS', 'SHOW MASTER STATUS', 'STOP SLAVE', 'START SLAVE'],
    [MYSQL_80_OLD, 'SHOW SLAVE STATUS', 'SHOW MASTER STATUS', 'STOP SLAVE', 'START SLAVE'],
    [MYSQL_80, 'SHOW REPLICA STATUS', 'SHOW MASTER STATUS', 'STOP REPLICA', 'START REPLICA'],
    [MYSQL_84, 'SHOW REPLICA STATUS', 'SHOW BINARY LOG STATUS', 'STOP REPLICA', 'START REPLICA'],
  ];
  for (const [f, show, binlog, stop, start] of table) {
    const d = dialectFor(f);
    assert.deepEqual([d.showReplicaStatus, d.showBinlogStatus, d.stopReplica, d.startReplica], [show, binlog, stop, start], f.version);
  }
});

void test('super_read_only exists on MySQL only, and read_only statements follow it', () => {
  assert.equal(dialectFor(MARIA_1011).hasSuperReadOnly, false);
  assert.deepEqual(dialectFor(MARIA_1011).setReadOnly(true), ['SET GLOBAL read_only=1']);
  assert.deepEqual(dialectFor(MARIA_1011).setReadOnly(false), ['SET GLOBAL read_only=0']);
  assert.equal(dialectFor(MYSQL_80).hasSuperReadOnly, true);
  assert.deepEqual(dialectFor(MYSQL_84).setReadOnly(true), ['SET GLOBAL super_read_only=1']);
  assert.deepEqual(dialectFor(MYSQL_84).setReadOnly(false), ['SET GLOBAL read_only=0']);
  assert.match(dialectFor(MARIA_1011).readOnlyQuery, /NULL AS super_read_only/);
  assert.match(dialectFor(MYSQL_57).readOnlyQuery, /@@global\.super_read_only/);
});

void test('GTID and position waits per flavour, with their result conventions', () => {
  const m = dialectFor(MARIA_1011);
  assert.deepEqual(m.gtidWait('0-1-5', 3), { sql: 'SELECT MASTER_GTID_WAIT(?, ?) AS result', params: ['0-1-5', 3] });
  assert.deepEqual([m.readGtidWait(0), m.readGtidWait('-1'), m.readGtidWait(null)], ['reached', 'timeout', 'not_waiting']);
  assert.deepEqual(m.posWait('bin.000002', 42, 5), { sql: 'SELECT MASTER_POS_WAIT(?, ?, ?) AS result', params: ['bin.000002', 42, 5] });
  const y = dialectFor(MYSQL_84);
  assert.equal(y.gtidWait('uuid:1-5', 3).sql, 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS result');
  assert.deepEqual([y.readGtidWait('0'), y.readGtidWait(1)], ['reached', 'timeout']);
  assert.equal(y.posWait('f', 1, 1).sql, 'SELECT SOURCE_POS_WAIT(?, ?, ?) AS result');
  assert.equal(dialectFor(MYSQL_57).posWait('f', 1, 1).sql, 'SELECT MASTER_POS_WAIT(?, ?, ?) AS result');
  for (const d of [m, y]) {
    assert.deepEqual([d.readPosWait(7), d.readPosWait(-1), d.readPosWait(null)], ['reached', 'timeout', 'not_waiting']);
  }
});

void test('CHANGE MASTER / CHANGE REPLICATION SOURCE by GTID, values only as parameters', () => {
  const args = { host: '10.0.0.12', port: 3306, user: "re'pl", password: "p'w\\", connectRetryS: 1 };
  const m = dialectFor(MARIA_1011).changeSourceGtid(args);
  assert.equal(m.sql, 'CHANGE MASTER TO master_host=?, master_port=?, master_user=?, master_password=?, master_use_gtid=slave_pos, master_connect_retry=?');
  assert.deepEqual(m.params, ['10.0.0.12', 3306, "re'pl", "p'w\\", 1]);
  const y = dialectFor(MYSQL_84).changeSourceGtid(args);
  assert.match(y.sql, /^CHANGE REPLICATION SOURCE TO SOURCE_HOST=\?, .*SOURCE_AUTO_POSITION=1/);
  assert.doesNotMatch(y.sql, /p'w/);
  assert.match(dialectFor(MYSQL_57).changeSourceGtid(args).sql, /^CHANGE MASTER TO MASTER_HOST=\?.*MASTER_AUTO_POSITION=1/);
  assert.match(dialectFor(MYSQL_80).changeSourceGtid(args).sql, /^CHANGE REPLICATION SOURCE TO/);
});

void test('GTID position and enablement queries', () => {
  assert.match(dialectFor(MARIA_1011).binlogGtidQuery, /gtid_binlog_pos/);
  assert.match(dialectFor(MARIA_1011).appliedGtidQuery, /gtid_current_pos/);
  assert.match(dialectFor(MYSQL_80).binlogGtidQuery, /gtid_executed/);
  assert.match(dialectFor(MYSQL_80).gtidEnabledQuery, /gtid_mode/);
});
