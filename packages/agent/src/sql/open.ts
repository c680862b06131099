// Connect and probe in one step, so every caller gets a Sql together with the dialect it speaks.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { dialectFor, parseServerFlavor, PROBE_SQL, type Dialect } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import type { MysqlEndpoint, Sql, SqlConnector } from '@mmm-ts/protocol/mysql';

export interface OpenedDb {
  readonly sql: Sql;
  readonly dialect: Dialect;
}

/** Reads the server's flavour and version and picks its dialect. */
export async function probeDialect(sql: Sql, timeoutMs: number): Promise<Result<Dialect, AgentError>> {
  const r = await sql.query(PROBE_SQL, [], timeoutMs);
  if (!r.ok) return err(sqlFailed('cannot probe the server version', r.error));
  const row = r.value[0];
  const version = typeof row?.['version'] === 'string' ? row['version'] : '';
  const comment = typeof row?.['version_comment'] === 'string' ? row['version_comment'] : '';
  const flavor = parseServerFlavor(version, comment);
  if (flavor === null) {
    return err({ code: 'AGENT_UNKNOWN_SERVER', message: `unrecognised server version ${JSON.stringify(version)}` });
  }
  return ok(dialectFor(flavor));
}

/** Opens a connection to `endpoint` and probes its dialect; closes the connection if the probe fails. */
export async function openDb(
  connect: SqlConnector,
  endpoint: MysqlEndpoint,
  timeoutMs: number,
): Promise<Result<OpenedDb, AgentError>> {
  const c = await connect(endpoint, timeoutMs);
  if (!c.ok) return err(sqlFailed(`cannot connect to MySQL at ${endpoint.host}:${endpoint.port}`, c.error));
  const d = await probeDialect(c.value, timeoutMs);
  if (!d.ok) {
    await c.value.close();
    return d;
  }
  return ok({ sql: c.value, dialect: d.value });
}
