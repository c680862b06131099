// Reads @@read_only (and @@super_read_only where it exists): every write action verifies with it.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { cellText } from '@mmm-ts/protocol/mysql';

export interface ReadOnlyState {
  readonly readOnly: boolean;
  /** null where the server has no super_read_only (MariaDB). */
  readonly superReadOnly: boolean | null;
}

function flag(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return cellText(v) === '1';
}

/** The server's current read_only state (MMM's mysql_may_write, inverted). */
export async function readReadOnly(env: SqlEnv): Promise<Result<ReadOnlyState, AgentError>> {
  const r = await env.sql.query(env.dialect.readOnlyQuery, [], queryTimeout(env));
  if (!r.ok) return err(sqlFailed('cannot read @@read_only', r.error));
  const row = r.value[0];
  return ok({ readOnly: flag(row?.['read_only']) === true, superReadOnly: flag(row?.['super_read_only']) });
}
