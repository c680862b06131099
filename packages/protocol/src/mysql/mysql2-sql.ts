// The real Sql over one mysql2 connection: bounded connect, handshake and queries, errors as values.
import mysql from 'mysql2';
import type { Connection, QueryError } from 'mysql2';
import { err, ok, type Result } from '../result.js';
import type { MysqlEndpoint, Row, Sql, SqlConnector, SqlError, SqlValue } from './sql.js';

const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

function errnoOf(e: unknown): number | undefined {
  const n = (e as { errno?: unknown }).errno;
  return typeof n === 'number' ? n : undefined;
}
function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : undefined;
}
function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Maps a mysql2 connect failure to a stable code. */
export function connectError(e: unknown, endpoint: MysqlEndpoint): SqlError {
  const code = codeOf(e);
  const where = endpoint.socketPath ?? `${endpoint.host}:${endpoint.port}`;
  const errno = errnoOf(e);
  if (code === 'ECONNREFUSED' || code === 'ENOENT') {
    return { code: 'SQL_CONNECT_REFUSED', message: `MySQL at ${where} refused the connection`, cause: code };
  }
  if (code === 'ETIMEDOUT') {
    return { code: 'SQL_CONNECT_TIMEOUT', message: `MySQL at ${where} did not answer in time`, cause: code };
  }
  const base = { code: 'SQL_CONNECT_FAILED' as const, message: `cannot connect to MySQL at ${where}: ${messageOf(e)}` };
  return { ...base, ...(errno !== undefined && errno < 10_000 ? { errno } : {}), ...(code !== undefined ? { cause: code } : {}) };
}

function queryError(e: QueryError | Error, sql: string): SqlError {
  const code = codeOf(e);
  const errno = errnoOf(e);
  const head = sql.length > 80 ? `${sql.slice(0, 80)}…` : sql;
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return { code: 'SQL_QUERY_TIMEOUT', message: `statement timed out: ${head}`, cause: code };
  }
  if ((e as { fatal?: unknown }).fatal === true) {
    return { code: 'SQL_CONNECTION_LOST', message: `connection lost during: ${head}: ${e.message}`, ...(code !== undefined ? { cause: code } : {}) };
  }
  return { code: 'SQL_SERVER_ERROR', message: `${e.message} (in: ${head})`, ...(errno !== undefined ? { errno } : {}), ...(code !== undefined ? { cause: code } : {}) };
}

class Mysql2Sql implements Sql {
  private dead: SqlError | null = null;
  constructor(private readonly conn: Connection, readonly threadId: number, private readonly defaultTimeoutMs: number) {
    conn.on('error', (e: Error) => {
      this.dead ??= { code: 'SQL_CONNECTION_LOST', message: `connection lost: ${e.message}` };
    });
  }

  query(sql: string, params: readonly SqlValue[] = [], timeoutMs = this.defaultTimeoutMs): Promise<Result<Row[], SqlError>> {
    if (this.dead !== null) return Promise.resolve(err(this.dead));
    return new Promise((resolve) => {
      this.conn.query({ sql, timeout: timeoutMs, values: [...params] }, (e, rows) => {
        if (e) {
          const error = queryError(e, sql);
          if (error.code !== 'SQL_SERVER_ERROR') {
            this.dead = { code: 'SQL_CONNECTION_LOST', message: `connection closed after: ${error.message}` };
            this.conn.destroy();
          }
          resolve(err(error));
          return;
        }
        resolve(ok(Array.isArray(rows) ? (rows as Row[]) : []));
      });
    });
  }

  close(): Promise<void> {
    if (this.dead !== null) return Promise.resolve();
    this.dead = { code: 'SQL_CONNECTION_LOST', message: 'connection closed' };
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.conn.destroy(); resolve(); }, 1_000);
      this.conn.end(() => { clearTimeout(timer); resolve(); });
    });
  }
}

/** Opens one mysql2 connection with bounded connect+handshake; the real SqlConnector. */
export const connectMysql: SqlConnector = (endpoint, connectTimeoutMs) => {
  return new Promise((resolve) => {
    const conn = mysql.createConnection({
      ...(endpoint.socketPath !== undefined ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port }),
      user: endpoint.user,
      password: endpoint.password,
      connectTimeout: connectTimeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      multipleStatements: false,
    });
    let settled = false;
    const onError = (e: Error): void => {
      if (settled) return;
      settled = true;
      conn.destroy();
      resolve(err(connectError(e, endpoint)));
    };
    conn.once('error', onError);
    conn.connect((e) => {
      if (e) { onError(e); return; }
      if (settled) return;
      settled = true;
      conn.removeListener('error', onError);
      resolve(ok(new Mysql2Sql(conn, conn.threadId ?? -1, DEFAULT_QUERY_TIMEOUT_MS)));
    });
  });
};
