import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReplicaStatus } from '../../src/mysql/index.js';

void test('MariaDB SHOW SLAVE STATUS columns normalize, NULL lag kept as null', () => {
  const s = normalizeReplicaStatus({
    Master_Host: '10.200.20.11', Master_Port: 3306, Slave_IO_Running: 'Connecting', Slave_SQL_Running: 'Yes',
    Seconds_Behind_Master: null, Master_Log_File: 'bin.000003', Read_Master_Log_Pos: '1234',
    Relay_Master_Log_File: 'bin.000003', Exec_Master_Log_Pos: 1200, Using_Gtid: 'Slave_Pos', Gtid_IO_Pos: '0-1-17',
    Last_IO_Errno: 2003, Last_IO_Error: "can't connect", Last_SQL_Errno: 0, Last_SQL_Error: '',
  });
  assert.equal(s.sourceHost, '10.200.20.11');
  assert.equal(s.sourcePort, 3306);
  assert.equal(s.ioThread, 'connecting');
  assert.equal(s.sqlRunning, true);
  assert.equal(s.secondsBehind, null);
  assert.equal(s.readSourceLogPos, 1234);
  assert.equal(s.execSourceLogPos, 1200);
  assert.equal(s.usingGtid, 'Slave_Pos');
  assert.equal(s.gtidIoPos, '0-1-17');
  assert.equal(s.autoPosition, null);
  assert.equal(s.lastIoErrno, 2003);
});

void test('MySQL 8 SHOW REPLICA STATUS columns normalize, zero lag stays 0', () => {
  const s = normalizeReplicaStatus({
    Source_Host: 'db1', Source_Port: '3307', Replica_IO_Running: 'Yes', Replica_SQL_Running: 'No',
    Seconds_Behind_Source: 0, Source_Log_File: 'b.1', Read_Source_Log_Pos: 9, Relay_Source_Log_File: 'b.1',
    Exec_Source_Log_Pos: 8, Auto_Position: 1, Retrieved_Gtid_Set: 'u:1-9', Executed_Gtid_Set: 'u:1-8',
    Last_SQL_Error: 'dup key',
  });
  assert.equal(s.sourceHost, 'db1');
  assert.equal(s.sourcePort, 3307);
  assert.equal(s.ioThread, 'running');
  assert.equal(s.sqlRunning, false);
  assert.equal(s.secondsBehind, 0);
  assert.equal(s.relaySourceLogFile, 'b.1');
  assert.equal(s.autoPosition, true);
  assert.equal(s.usingGtid, null);
  assert.equal(s.retrievedGtidSet, 'u:1-9');
  assert.equal(s.lastSqlError, 'dup key');
  assert.equal(s.lastIoErrno, 0);
});

void test('an IO thread reported No is stopped', () => {
  assert.equal(normalizeReplicaStatus({ Slave_IO_Running: 'No' }).ioThread, 'stopped');
});
