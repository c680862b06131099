// The narrow interface every action uses to talk to a MySQL/MariaDB server, so actions can be tested
// against a fake and never see mysql2 directly.
import type { Failure, Result } from '../result.js';

export type SqlValue = string | number | bigint | boolean | null;
/** One result row, columns by name exactly as the server names them. */
export type Row = Readonly<Record<string, unknown>>;

export const SQL_ERROR_CODES = [
  'SQL_CONNECT_REFUSED',
  'SQL_CONNECT_TIMEOUT',
  'SQL_CONNECT_FAILED',
  'SQL_QUERY_TIMEOUT',
  'SQL_SERVER_ERROR',
  'SQL_CONNECTION_LOST',
] as const;
export type SqlErrorCode = (typeof SQL_ERROR_CODES)[number];

/**
 * A failed connect or statement. `errno` is the server's error number (1290, 1205, 1045…) when the
 * server answered; `cause` the OS/driver code (ECONNREFUSED, ETIMEDOUT…) when it did not.
 */
export interface SqlError extends Failure<SqlErrorCode> {
  readonly errno?: number;
  readonly cause?: string;
}

/**
 * Contract:
 * - `query` never throws and never hangs: it resolves within about `timeoutMs` (default: the
 *   connection's default) with the rows (an empty array for statements without a result set) or an
 *   SqlError. `params` fill `?` placeholders client-side, each value escaped.
 * - After SQL_QUERY_TIMEOUT or SQL_CONNECTION_LOST the connection is destroyed: every later query
 *   answers SQL_CONNECTION_LOST at once. The server may still be running the timed-out statement,
 *   so statements that can block carry their own server-side bound (lock_wait_timeout, wait timeouts).
 * - `threadId` is the server's id of this connection (CONNECTION_ID()), so the connection never kills itself.
 * - `close` is idempotent and never throws.
 */
export interface Sql {
  readonly threadId: number;
  query(sql: string, params?: readonly SqlValue[], timeoutMs?: number): Promise<Result<Row[], SqlError>>;
  close(): Promise<void>;
}

/** Where and as whom to connect. */
export interface MysqlEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A Unix socket path instead of host:port (set-up tools; the agent itself uses TCP). */
  readonly socketPath?: string;
}

/**
 * Opens one connection. Contract: resolves within about `connectTimeoutMs` (TCP connect and MySQL
 * handshake both bounded) with a Sql or an SqlError (REFUSED when nothing listens, TIMEOUT when the
 * host or server does not answer), never throws.
 */
export type SqlConnector = (endpoint: MysqlEndpoint, connectTimeoutMs: number) => Promise<Result<Sql, SqlError>>;
