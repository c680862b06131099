// The agent's stable error codes (listed in docs/errors.md, `## Agent`): every action failure is one
// of these with a sentence, so the monitor and the logs switch on a code, never on text.
import type { Failure } from '@mmm-ts/protocol';
import type { SqlError } from '@mmm-ts/protocol/mysql';
import type { IpError } from './ip/ip-ops.js';

export const AGENT_ERROR_CODES = [
  'AGENT_MYSQL_UNAVAILABLE',
  'AGENT_MYSQL_FAILED',
  'AGENT_UNKNOWN_SERVER',
  'AGENT_DENY_WRITE_UNVERIFIED',
  'AGENT_ALLOW_WRITE_UNVERIFIED',
  'AGENT_BAD_IP',
  'AGENT_BAD_INTERFACE',
  'AGENT_IP_COMMAND_FAILED',
  'AGENT_IP_UNVERIFIED',
  'AGENT_SYNC_TIMEOUT',
  'AGENT_SYNC_SQL_THREAD_STOPPED',
  'AGENT_SYNC_NO_POSITION',
  'AGENT_NOT_A_REPLICA',
  'AGENT_REPOINT_BAD_TARGET',
  'AGENT_REPOINT_NEEDS_GTID',
  'AGENT_REPOINT_UNVERIFIED',
  'AGENT_REPLICATION_UNVERIFIED',
] as const;
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number];

/** An action failure; `cause` is the underlying SQL or IP failure when there was one. */
export interface AgentError extends Failure<AgentErrorCode> {
  readonly cause?: SqlError | IpError;
}

/** Wraps a SQL failure as an agent failure, keeping it as `cause`. */
export function sqlFailed(what: string, cause: SqlError): AgentError {
  const code = cause.code.startsWith('SQL_CONNECT') ? 'AGENT_MYSQL_UNAVAILABLE' : 'AGENT_MYSQL_FAILED';
  return { code, message: `${what}: ${cause.message}`, cause };
}
