import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ok } from '@mmm-ts/protocol';
import { createMysqlLink } from '../../src/checks/mysql-link.js';
import { binlogPosOf, createReplicaReader, probeRepBacklog, probeRepThreads, replicaOf } from '../../src/checks/rep-probes.js';
import { FakeSql, okSql, refused, scriptedConnector } from './fakes.js';

const EP = { host: '10.9.9.13', port: 3306, user: 'm', password: 'm' };
const now = (): number => Date.now();

function mariadb(status: Record<string, unknown>[]): FakeSql {
  return new FakeSql((q) => {
    if (q.startsWith('SELECT VERSION()')) return ok([{ version: '10.11.6-MariaDB', version_comment: 'MariaDB Server' }]);
    if (q === 'SHOW REPLICA STATUS') return ok(status);
    if (q.includes('gtid_current_pos')) return ok([{ gtid: '0-1-42' }]);
    if (q.includes('gtid_binlog_pos')) return ok([{ gtid: '0-2-77' }]);
    return ok([]);
  });
}

const stoppedSql = { Master_Host: '10.9.9.11', Slave_IO_Running: 'Yes', Slave_SQL_Running: 'No', Seconds_Behind_Master: null, Last_SQL_Error: 'boom' };

test('both rep checks come from one SHOW REPLICA STATUS (dialect probed once per connection)', async () => {
  const sql = mariadb([stoppedSql]);
  const link = createMysqlLink(EP, scriptedConnector([okSql(sql)]), { withDialect: true, now });
  const reader = createReplicaReader(link, now, 1000);
  const [t, b] = await Promise.all([probeRepThreads(reader, 300, now), probeRepBacklog(reader, 300, 60_000, now)]);
  assert.equal(t.kind, 'error');
  assert.equal(b.kind, 'error', 'NULL lag with the SQL thread stopped is not "no lag"');
  assert.equal(sql.queries.filter((q) => q === 'SHOW REPLICA STATUS').length, 1);
  assert.equal(sql.queries.filter((q) => q.startsWith('SELECT VERSION()')).length, 1);
  const r = replicaOf(t);
  assert.equal(r?.sqlRunning, false);
  assert.equal(r?.gtidApplied, '0-1-42');
  assert.equal(r?.lastSqlError, 'boom');
  assert.equal(binlogPosOf(t), '0-2-77', "the server's own binlog position, for failover records");
});

test('no replication row: both checks fail and the summary is null', async () => {
  const link = createMysqlLink(EP, scriptedConnector([okSql(mariadb([]))]), { withDialect: true, now });
  const reader = createReplicaReader(link, now, 0);
  const t = await probeRepThreads(reader, 300, now);
  assert.equal(t.kind, 'error');
  assert.equal(replicaOf(t), null);
  assert.equal(binlogPosOf(t), '0-2-77', 'a writer that replicates from nobody still reports its binlog position');
});

test('a refused connection makes the rep checks kind refused, without a summary', async () => {
  const link = createMysqlLink(EP, scriptedConnector([refused]), { withDialect: true, now });
  const t = await probeRepThreads(createReplicaReader(link, now, 0), 300, now);
  assert.equal(t.kind, 'refused');
  assert.equal(replicaOf(t), undefined);
  assert.equal(binlogPosOf(t), undefined);
});

test('a server refusing the binlog position query still gets both rep checks (position unknown)', async () => {
  const sql = new FakeSql((q) => {
    if (q.startsWith('SELECT VERSION()')) return ok([{ version: '10.11.6-MariaDB', version_comment: 'MariaDB Server' }]);
    if (q === 'SHOW REPLICA STATUS') return ok([{ ...stoppedSql, Slave_SQL_Running: 'Yes', Seconds_Behind_Master: 0 }]);
    if (q.includes('gtid_current_pos')) return ok([{ gtid: '0-1-42' }]);
    return { ok: false, error: { code: 'SQL_SERVER_ERROR', message: 'unknown system variable', errno: 1193 } };
  });
  const link = createMysqlLink(EP, scriptedConnector([okSql(sql)]), { withDialect: true, now });
  const t = await probeRepThreads(createReplicaReader(link, now, 0), 300, now);
  assert.equal(t.kind, 'ok');
  assert.equal(replicaOf(t)?.gtidApplied, '0-1-42');
  assert.equal(binlogPosOf(t), null);
});
