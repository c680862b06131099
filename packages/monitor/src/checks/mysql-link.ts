// One persistent monitor connection to one MySQL server: opened on first use, dropped on any
// connection-level failure and reopened by the next use, so a probe costs one round trip while the
// server is healthy and a dead server is seen as "refused" or "timeout" by a fresh connect.
import { err, ok, type Result } from '@mmm-ts/protocol';
import {
  dialectFor,
  parseServerFlavor,
  PROBE_SQL,
  cellText,
  type Dialect,
  type MysqlEndpoint,
  type Sql,
  type SqlConnector,
  type SqlError,
} from '@mmm-ts/protocol/mysql';
import type { HostConfig } from '@mmm-ts/protocol/config';

/** What a link hands to a statement runner: the open connection, its dialect, and the time left (ms). */
export interface LinkSession {
  readonly sql: Sql;
  readonly dialect: Dialect | null;
  readonly remainingMs: number;
}

/** The endpoint the monitor uses for a host (TCP, as the monitor user). */
export function monitorEndpoint(h: HostConfig): MysqlEndpoint {
  return { host: h.ip, port: h.mysqlPort, user: h.monitorUser, password: h.monitorPassword };
}

/** Errors after which the connection cannot be trusted and is dropped. */
function dropsConnection(e: SqlError): boolean {
  return e.code !== 'SQL_SERVER_ERROR';
}

export interface MysqlLink {
  /**
   * Runs `fn` on the persistent connection within about `timeoutMs` in total, connecting first if
   * needed (and probing the flavour when the link was made with `withDialect`). A reused connection
   * found lost is reopened once within the same call, so a server that closed an idle connection is
   * not reported failed and a killed server is reported by the reconnect ("refused").
   */
  use<T>(timeoutMs: number, fn: (s: LinkSession) => Promise<Result<T, SqlError>>): Promise<Result<T, SqlError>>;
  /** Drops the connection (the next use reconnects). */
  drop(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the link; nothing is opened until the first `use`. */
export function createMysqlLink(endpoint: MysqlEndpoint, connect: SqlConnector, opts: { withDialect: boolean; now: () => number }): MysqlLink {
  let sql: Sql | null = null;
  let dialect: Dialect | null = null;
  let closed = false;

  const drop = async (): Promise<void> => {
    const s = sql;
    sql = null;
    dialect = null;
    if (s !== null) await s.close();
  };

  const open = async (budgetMs: number): Promise<Result<Sql, SqlError>> => {
    const start = opts.now();
    const c = await connect(endpoint, Math.max(1, budgetMs));
    if (!c.ok) return c;
    if (closed) {
      await c.value.close();
      return err({ code: 'SQL_CONNECTION_LOST', message: 'link closed' });
    }
    if (opts.withDialect) {
      const left = Math.max(1, budgetMs - (opts.now() - start));
      const p = await c.value.query(PROBE_SQL, [], left);
      if (!p.ok) {
        await c.value.close();
        return err(p.error);
      }
      const row = p.value[0];
      const flavor = parseServerFlavor(cellText(row?.['version']), cellText(row?.['version_comment']));
      if (flavor === null) {
        await c.value.close();
        return err({ code: 'SQL_CONNECT_FAILED', message: `unrecognised server version ${JSON.stringify(cellText(row?.['version']))}` });
      }
      dialect = dialectFor(flavor);
    }
    sql = c.value;
    return ok(c.value);
  };

  const use = async <T>(timeoutMs: number, fn: (s: LinkSession) => Promise<Result<T, SqlError>>): Promise<Result<T, SqlError>> => {
    const start = opts.now();
    // After a connect the statement still gets a quarter of the budget, so a slow connect alone is not a timeout.
    const left = (): number => Math.max(Math.ceil(timeoutMs / 4), timeoutMs - (opts.now() - start));
    for (let attempt = 0; attempt < 2; attempt++) {
      if (closed) return err({ code: 'SQL_CONNECTION_LOST', message: 'link closed' });
      let conn = sql;
      const reused = conn !== null;
      if (conn === null) {
        const o = await open(Math.max(Math.ceil(timeoutMs / 2), timeoutMs - (opts.now() - start)));
        if (!o.ok) return o;
        conn = o.value;
      }
      const r = await fn({ sql: conn, dialect, remainingMs: left() });
      if (r.ok) return r;
      if (dropsConnection(r.error)) await drop();
      if (!(reused && r.error.code === 'SQL_CONNECTION_LOST')) return r;
    }
    return err({ code: 'SQL_CONNECTION_LOST', message: 'connection lost twice' });
  };

  return {
    use,
    drop,
    close: async () => {
      closed = true;
      await drop();
    },
  };
}
