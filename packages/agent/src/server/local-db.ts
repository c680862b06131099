// One persistent connection to this host's own mysqld, reopened on demand: the hot path of a
// failover must not pay a connect, and a restarted mysqld must not need an agent restart.
import { err, ok, type Logger, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { SqlEnv } from '../actions/env.js';
import { openDb, type OpenedDb } from '../sql/open.js';
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';

// Worth one retry on a fresh connection: only a cached connection found dead (mysqld restarted).
// A refused or timed-out connect, or a statement that timed out (a hung server), would only fail
// again and double the time a release of a dead or hung writer takes.
const RETRY_CODES: ReadonlySet<string> = new Set(['SQL_CONNECTION_LOST']);
// After these the connection is dropped so the next action reconnects.
const RESET_CODES: ReadonlySet<string> = new Set(['SQL_CONNECTION_LOST', 'SQL_QUERY_TIMEOUT', 'SQL_CONNECT_REFUSED', 'SQL_CONNECT_TIMEOUT', 'SQL_CONNECT_FAILED']);

export interface LocalDbOptions {
  readonly endpoint: MysqlEndpoint;
  readonly connect: SqlConnector;
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class LocalDb {
  private opened: OpenedDb | null = null;
  private opening: Promise<Result<OpenedDb, AgentError>> | null = null;

  constructor(private readonly opts: LocalDbOptions) {}

  /** The SqlEnv the actions use, connecting first if needed. */
  async env(): Promise<Result<SqlEnv, AgentError>> {
    const db = await this.open();
    if (!db.ok) return db;
    return ok({ sql: db.value.sql, dialect: db.value.dialect, clock: this.opts.clock, logger: this.opts.logger, queryTimeoutMs: this.opts.queryTimeoutMs });
  }

  /**
   * Runs an action; when it fails because the cached connection was found dead (mysqld restarted),
   * runs it once more on a fresh one. Any connection-level failure drops the connection.
   */
  async run<T>(action: (env: SqlEnv) => Promise<Result<T, AgentError>>): Promise<Result<T, AgentError>> {
    for (let attempt = 0; ; attempt++) {
      const env = await this.env();
      if (!env.ok) return env;
      const r = await action(env.value);
      if (r.ok) return r;
      if (hasCode(r.error, RESET_CODES)) await this.reset();
      if (attempt >= 1 || !hasCode(r.error, RETRY_CODES)) return r;
    }
  }

  /** Closes the connection; the next env() reconnects. */
  async reset(): Promise<void> {
    const db = this.opened;
    this.opened = null;
    if (db !== null) await db.sql.close();
  }

  private async open(): Promise<Result<OpenedDb, AgentError>> {
    if (this.opened !== null) return ok(this.opened);
    this.opening ??= openDb(this.opts.connect, this.opts.endpoint, this.opts.connectTimeoutMs).finally(() => {
      this.opening = null;
    });
    const r = await this.opening;
    if (r.ok) this.opened = r.value;
    return r.ok ? ok(r.value) : err(r.error);
  }
}

function hasCode(e: AgentError, codes: ReadonlySet<string>): boolean {
  return e.cause !== undefined && codes.has(e.cause.code);
}
