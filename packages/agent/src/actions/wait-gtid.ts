// One bounded, checked wait for a GTID position (MMM's flaw 4: its waits had no timeout and their
// result was ignored). Shared by sync_with_master and set_active_master.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { mariaGtidCovers } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { readReplicaStatus, readString } from './replica.js';

export interface GtidWaitObserved {
  /** False when this server already had the position (no wait issued). */
  readonly waited: boolean;
}

/** One wait statement lasts at most this long; between slices the SQL thread is re-checked, so a thread
 * that stops mid-wait is reported within about a second instead of at the end of sync_timeout. */
export const GTID_WAIT_SLICE_S = 1;

/** Waits until this server has applied `target`, at most `timeoutMs`; refuses when the SQL thread is stopped. */
export async function waitForGtid(env: SqlEnv, target: string, timeoutMs: number): Promise<Result<GtidWaitObserved, AgentError>> {
  if (target.trim() === '') return ok({ waited: false });
  if (env.dialect.flavor.kind === 'mariadb') {
    const applied = await readString(env, env.dialect.appliedGtidQuery, 'gtid');
    if (!applied.ok) return applied;
    if (mariaGtidCovers(applied.value, target) === true) return ok({ waited: false });
  }
  const st = await readReplicaStatus(env);
  if (!st.ok) return st;
  if (st.value === null) {
    return err({ code: 'AGENT_NOT_A_REPLICA', message: `this server lacks ${target} and replicates from nobody` });
  }
  if (!st.value.sqlRunning) {
    return err({
      code: 'AGENT_SYNC_SQL_THREAD_STOPPED',
      message: `the replication SQL thread is stopped, so ${target} cannot be applied${st.value.lastSqlError ? ` (last error: ${st.value.lastSqlError})` : ''}`,
    });
  }
  const timeoutS = Math.max(1, Math.ceil(timeoutMs / 1_000));
  for (let leftS = timeoutS; ;) {
    const sliceS = Math.min(leftS, GTID_WAIT_SLICE_S);
    const w = env.dialect.gtidWait(target, sliceS);
    const r = await env.sql.query(w.sql, w.params, sliceS * 1_000 + queryTimeout(env));
    if (!r.ok) return err(sqlFailed('GTID wait failed', r.error));
    const outcome = env.dialect.readGtidWait(r.value[0]?.['result']);
    if (outcome === 'reached') return ok({ waited: true });
    const after = await readReplicaStatus(env);
    if (after.ok && after.value !== null && !after.value.sqlRunning) {
      const why = after.value.lastSqlError ? ` (last error: ${after.value.lastSqlError})` : '';
      return err({ code: 'AGENT_SYNC_SQL_THREAD_STOPPED', message: `the replication SQL thread stopped while waiting for ${target}${why}` });
    }
    leftS -= sliceS;
    if (outcome !== 'timeout' || leftS <= 0) {
      return err({
        code: 'AGENT_SYNC_TIMEOUT',
        message: outcome === 'timeout' ? `${target} was not applied within ${timeoutS} s` : `the server could not wait for ${target}`,
      });
    }
  }
}

/** Waits until the SQL thread has applied the source's file:pos (fallback without GTID). */
export async function waitForPosition(env: SqlEnv, file: string, pos: number, timeoutMs: number): Promise<Result<GtidWaitObserved, AgentError>> {
  const timeoutS = Math.max(1, Math.ceil(timeoutMs / 1_000));
  const w = env.dialect.posWait(file, pos, timeoutS);
  const r = await env.sql.query(w.sql, w.params, timeoutS * 1_000 + queryTimeout(env));
  if (!r.ok) return err(sqlFailed('position wait failed', r.error));
  const outcome = env.dialect.readPosWait(r.value[0]?.['result']);
  if (outcome === 'reached') return ok({ waited: true });
  if (outcome === 'not_waiting') {
    return err({ code: 'AGENT_SYNC_SQL_THREAD_STOPPED', message: `the replication SQL thread is not running, so ${file}:${pos} cannot be reached` });
  }
  return err({ code: 'AGENT_SYNC_TIMEOUT', message: `${file}:${pos} was not applied within ${timeoutS} s` });
}
