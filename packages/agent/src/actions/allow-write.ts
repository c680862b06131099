// mysql_allow_write: open this server for writes (read_only=0, which also clears super_read_only),
// only when needed, verified by reading it back.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { readReadOnly, type ReadOnlyState } from './read-only.js';

export interface AllowWriteObserved extends ReadOnlyState {
  /** False when the server was already writable (idempotent no-op). */
  readonly changed: boolean;
}

/** Sets read_only=0 if it is on, then verifies. */
export async function mysqlAllowWrite(env: SqlEnv): Promise<Result<AllowWriteObserved, AgentError>> {
  const before = await readReadOnly(env);
  if (!before.ok) return before;
  const wasReadOnly = before.value.readOnly || before.value.superReadOnly === true;
  if (wasReadOnly) {
    for (const stmt of env.dialect.setReadOnly(false)) {
      const r = await env.sql.query(stmt, [], queryTimeout(env));
      if (!r.ok) return err(sqlFailed(`${stmt} failed`, r.error));
    }
  }
  const after = await readReadOnly(env);
  if (!after.ok) return after;
  if (after.value.readOnly || after.value.superReadOnly === true) {
    return err({ code: 'AGENT_ALLOW_WRITE_UNVERIFIED', message: 'read_only was cleared but reads back as on' });
  }
  const observed = { ...after.value, changed: wasReadOnly };
  env.logger.info({ event: 'action.allow_write', ...observed }, wasReadOnly ? 'writes allowed' : 'writes already allowed');
  return ok(observed);
}
