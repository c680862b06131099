// Lists and classifies client sessions for mysql_deny_write: which to kill at once, which may finish,
// and which are never touched (replication threads, daemons, the agent's own connection).
import { err, ok, type Result } from '@mmm-ts/protocol';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';

export interface Session {
  readonly id: number;
  readonly user: string;
  readonly command: string;
  readonly info: string | null;
}

/** spare: never killed; idle: no statement running; reading/writing: a statement is running. */
export type SessionClass = 'spare' | 'idle' | 'reading' | 'writing';

export const PROCESSLIST_SQL =
  'SELECT ID AS id, USER AS user, COMMAND AS command, INFO AS info FROM information_schema.PROCESSLIST';

const SPARED_USERS: ReadonlySet<string> = new Set(['system user', 'event_scheduler']);
const SPARED_COMMANDS: ReadonlySet<string> = new Set([
  'Binlog Dump',
  'Binlog Dump GTID',
  'Slave_IO',
  'Slave_SQL',
  'Slave_worker',
  'Daemon',
  'Killed',
]);
const BUSY_COMMANDS: ReadonlySet<string> = new Set(['Query', 'Execute']);
const READING_RE = /^\s*(?:\/\*.*?\*\/\s*)*(?:select|show|explain|describe|desc|help|do|with)\b/is;

/** Classifies one process-list row (pure). `ownId` is the agent's connection; `spareUsers` are never killed. */
export function classifySession(s: Session, ownId: number, spareUsers: readonly string[]): SessionClass {
  if (s.id === ownId || SPARED_USERS.has(s.user) || SPARED_COMMANDS.has(s.command) || spareUsers.includes(s.user)) {
    return 'spare';
  }
  if (!BUSY_COMMANDS.has(s.command) || s.info === null) return 'idle';
  return READING_RE.test(s.info) && !/\bfor\s+update\b/i.test(s.info) ? 'reading' : 'writing';
}

/** Every session on the server (needs PROCESS to see other users' sessions). */
export async function listSessions(env: SqlEnv): Promise<Result<Session[], AgentError>> {
  const r = await env.sql.query(PROCESSLIST_SQL, [], queryTimeout(env));
  if (!r.ok) return err(sqlFailed('cannot list sessions', r.error));
  return ok(
    r.value.map((row) => ({
      id: Number(row['id']),
      user: typeof row['user'] === 'string' ? row['user'] : '',
      command: typeof row['command'] === 'string' ? row['command'] : '',
      info: typeof row['info'] === 'string' ? row['info'] : null,
    })),
  );
}

const ER_NO_SUCH_THREAD = 1094;

/** Kills one session; one that already ended counts as killed. Returns whether it is gone. */
export async function killSession(env: SqlEnv, id: number): Promise<Result<boolean, AgentError>> {
  if (!Number.isSafeInteger(id) || id < 0 || id === env.sql.threadId) return ok(false);
  const r = await env.sql.query('KILL CONNECTION ?', [id], queryTimeout(env));
  if (r.ok || r.error.errno === ER_NO_SUCH_THREAD) return ok(true);
  return err(sqlFailed(`cannot kill session ${id}`, r.error));
}
