import { test } from 'node:test';
import assert from 'node:assert/strict';
import { err, ok } from '@mmm-ts/protocol';
import { createMysqlLink } from '../../src/checks/mysql-link.js';
import { probeMysql } from '../../src/checks/mysql-probe.js';
import { kindOfSqlError } from '../../src/checks/index.js';
import { FakeSql, okSql, refused, scriptedConnector } from './fakes.js';

const EP = { host: '10.9.9.11', port: 3306, user: 'm', password: 'm' };
const now = (): number => Date.now();

test('SQL failures map to probe kinds: refused, timeout, unreachable = timeout, 1040 = unknown, others error', () => {
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECT_REFUSED', message: '' }), 'refused');
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECT_TIMEOUT', message: '' }), 'timeout');
  assert.equal(kindOfSqlError({ code: 'SQL_QUERY_TIMEOUT', message: '' }), 'timeout');
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECT_FAILED', message: '', cause: 'EHOSTUNREACH' }), 'timeout');
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECT_FAILED', message: '', errno: 1040 }), 'unknown');
  assert.equal(kindOfSqlError({ code: 'SQL_SERVER_ERROR', message: '', errno: 1040 }), 'unknown');
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECT_FAILED', message: '', errno: 1045 }), 'error');
  assert.equal(kindOfSqlError({ code: 'SQL_CONNECTION_LOST', message: '' }), 'error');
});

test('the mysql probe keeps one persistent connection while the server answers', async () => {
  const sql = new FakeSql(() => ok([{ ok: 1 }]));
  const connect = scriptedConnector([okSql(sql)]);
  const link = createMysqlLink(EP, connect, { withDialect: false, now });
  for (let i = 0; i < 3; i++) assert.equal((await probeMysql(link, 300, now)).kind, 'ok');
  assert.equal(connect.calls, 1);
  assert.deepEqual(sql.queries, ['SELECT 1 AS ok', 'SELECT 1 AS ok', 'SELECT 1 AS ok']);
  await link.close();
  assert.equal(sql.closed, true);
});

test('a refused connect is kind refused; too many connections (1040) is unknown', async () => {
  const link = createMysqlLink(EP, scriptedConnector([refused]), { withDialect: false, now });
  assert.equal((await probeMysql(link, 300, now)).kind, 'refused');
  const full = createMysqlLink(EP, scriptedConnector([() => err({ code: 'SQL_CONNECT_FAILED', message: 'Too many connections', errno: 1040 })]), { withDialect: false, now });
  assert.equal((await probeMysql(full, 300, now)).kind, 'unknown');
});

test('a lost persistent connection is reopened within the same probe: killed server → refused, idle close → ok', async () => {
  const lost = new FakeSql(() => err({ code: 'SQL_CONNECTION_LOST', message: 'gone' }));
  const first = new FakeSql(() => ok([{ ok: 1 }]));
  // Killed server: the reconnect is refused.
  const c1 = scriptedConnector([okSql(first), refused]);
  const link1 = createMysqlLink(EP, c1, { withDialect: false, now });
  assert.equal((await probeMysql(link1, 300, now)).kind, 'ok');
  first.closed = true; // the server closed it
  assert.equal((await probeMysql(link1, 300, now)).kind, 'refused');
  assert.equal(c1.calls, 2);
  // Idle connection closed by the server, server fine: the reconnect answers.
  const fresh = new FakeSql(() => ok([{ ok: 1 }]));
  const c2 = scriptedConnector([okSql(lost), okSql(fresh)]);
  const link2 = createMysqlLink(EP, c2, { withDialect: false, now });
  const p = await probeMysql(link2, 300, now);
  assert.equal(p.kind, 'error', 'a fresh connection that fails at once is not retried');
  assert.equal((await probeMysql(link2, 300, now)).kind, 'ok');
});

test('a query timeout is kind timeout and drops the connection; the next probe reconnects', async () => {
  let hung = true;
  const s1 = new FakeSql(() => (hung ? err({ code: 'SQL_QUERY_TIMEOUT', message: 'timed out' }) : ok([])));
  const s2 = new FakeSql(() => ok([{ ok: 1 }]));
  const connect = scriptedConnector([okSql(s1), okSql(s2)]);
  const link = createMysqlLink(EP, connect, { withDialect: false, now });
  assert.equal((await probeMysql(link, 300, now)).kind, 'timeout');
  assert.equal(s1.closed, true);
  hung = false;
  assert.equal((await probeMysql(link, 300, now)).kind, 'ok');
  assert.equal(connect.calls, 2);
});

test('a connect timeout (SIGSTOPped server: handshake hangs) is kind timeout', async () => {
  const link = createMysqlLink(EP, scriptedConnector([() => err({ code: 'SQL_CONNECT_TIMEOUT', message: 'no answer', cause: 'ETIMEDOUT' })]), { withDialect: false, now });
  assert.equal((await probeMysql(link, 300, now)).kind, 'timeout');
});
