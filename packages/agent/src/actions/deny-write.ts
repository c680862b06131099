// mysql_deny_write: fence this server (read_only, super_read_only on MySQL), then end client sessions
// so pooled clients reconnect through the VIP to the new writer. Replication threads survive.
//
// Modes (agent.deny_write):
// - hard: idle and reading sessions are killed at once; sessions running a writing statement get up
//   to maxKillRetries × killRetryIntervalMs to finish, then are killed.
// - soft: idle sessions are killed at once; every running statement (read or write) gets the grace.
// Neither mode blocks new connections (MMM's soft mode used iptables): read_only is set FIRST, so a
// new connection cannot write anyway, and the VIP is removed right after. Locking application
// accounts was rejected: it needs CREATE USER and outlives an agent crash.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { readReadOnly, type ReadOnlyState } from './read-only.js';
import { classifySession, killSession, listSessions } from './sessions.js';

export type DenyWriteMode = 'hard' | 'soft';

export interface DenyWriteOptions {
  readonly mode: DenyWriteMode;
  /** agent.max_kill_retries [10]. */
  readonly maxKillRetries: number;
  /** Pause between grace rounds [1000]. */
  readonly killRetryIntervalMs?: number;
  /** Session lock_wait_timeout while setting read_only, seconds [5]: bounds the wait behind LOCK TABLES. */
  readonly lockWaitTimeoutS?: number;
  /** Users whose sessions are never killed (e.g. the agent and monitor users). */
  readonly spareUsers?: readonly string[];
}

export interface DenyWriteObserved extends ReadOnlyState {
  readonly killed: number;
  /** Writing (hard) or busy (soft) sessions that were still running when the grace ran out. */
  readonly killedAfterGrace: number;
}

const ER_LOCK_WAIT_TIMEOUT = 1205;

async function setReadOnly(env: SqlEnv, timeoutMs: number): Promise<Result<void, AgentError & { lockWait?: boolean }>> {
  for (const stmt of env.dialect.setReadOnly(true)) {
    const r = await env.sql.query(stmt, [], timeoutMs);
    if (!r.ok) return err({ ...sqlFailed(`${stmt} failed`, r.error), lockWait: r.error.errno === ER_LOCK_WAIT_TIMEOUT });
  }
  return ok(undefined);
}

/** Sets read_only, ends client sessions per mode, verifies read_only by reading it back. */
export async function mysqlDenyWrite(env: SqlEnv, opts: DenyWriteOptions): Promise<Result<DenyWriteObserved, AgentError>> {
  const log = env.logger;
  const spare = opts.spareUsers ?? [];
  const interval = opts.killRetryIntervalMs ?? 1_000;
  const lockWait = Math.max(1, Math.floor(opts.lockWaitTimeoutS ?? 5));
  let killed = 0;
  let killedAfterGrace = 0;

  const lw = await env.sql.query(`SET SESSION lock_wait_timeout = ${lockWait}`, [], queryTimeout(env));
  if (!lw.ok) return err(sqlFailed('cannot bound lock_wait_timeout', lw.error));

  let set = await setReadOnly(env, queryTimeout(env) + lockWait * 1_000);
  if (!set.ok && set.error.lockWait === true) {
    // A LOCK TABLES … WRITE holder blocks read_only: end every client session, then retry once.
    log.warn({ event: 'action.deny_write', step: 'lock_wait' }, 'read_only blocked by a table lock; killing client sessions');
    const all = await listSessions(env);
    if (!all.ok) return all;
    for (const s of all.value) {
      if (classifySession(s, env.sql.threadId, spare) === 'spare') continue;
      const k = await killSession(env, s.id);
      if (k.ok && k.value) killed++;
    }
    set = await setReadOnly(env, queryTimeout(env) + lockWait * 1_000);
  }
  if (!set.ok) return err({ code: set.error.code, message: set.error.message, ...(set.error.cause ? { cause: set.error.cause } : {}) });

  for (let round = 0; ; round++) {
    const list = await listSessions(env);
    if (!list.ok) return list;
    const waiting: number[] = [];
    for (const s of list.value) {
      const c = classifySession(s, env.sql.threadId, spare);
      if (c === 'spare') continue;
      const mayFinish = c === 'writing' || (opts.mode === 'soft' && c === 'reading');
      if (mayFinish && round < opts.maxKillRetries) {
        waiting.push(s.id);
        continue;
      }
      const k = await killSession(env, s.id);
      if (!k.ok) log.warn({ event: 'action.deny_write', err: k.error, session: s.id }, 'could not kill a session');
      else if (k.value) {
        killed++;
        if (mayFinish) killedAfterGrace++;
      }
    }
    if (waiting.length === 0) break;
    await env.clock.sleep(interval);
  }

  const check = await readReadOnly(env);
  if (!check.ok) return check;
  const fenced = check.value.readOnly && check.value.superReadOnly !== false;
  if (!fenced) {
    return err({ code: 'AGENT_DENY_WRITE_UNVERIFIED', message: 'read_only was set but reads back as off' });
  }
  const observed = { ...check.value, killed, killedAfterGrace };
  log.info({ event: 'action.deny_write', mode: opts.mode, ...observed }, 'writes denied');
  return ok(observed);
}
