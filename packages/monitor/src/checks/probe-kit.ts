// Shared pieces of every probe: building a ProbeResult, and mapping a MySQL failure to the probe kind
// the trap understands (refused = certain, timeout = ambiguous, unknown = MMM's "changes nothing").
import type { SqlError } from '@mmm-ts/protocol/mysql';
import type { ProbeKind, ProbeResult } from './trap.js';

/** A clock in ms; injected so tests control time. */
export type Clock = () => number;

/** Builds a ProbeResult stamped with its start and duration. */
export function probeResult(
  kind: ProbeKind,
  message: string,
  startedAt: number,
  now: Clock,
  data?: Readonly<Record<string, unknown>>,
): ProbeResult {
  return { kind, message, startedAt, durationMs: Math.max(0, now() - startedAt), ...(data !== undefined ? { data } : {}) };
}

/** MySQL's ER_CON_COUNT_ERROR: MMM reports the check UNKNOWN (the server is alive, just full). */
export const ER_TOO_MANY_CONNECTIONS = 1040;

const UNREACHABLE_CAUSES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/** OS error codes meaning "no route / host down": the same ambiguity as a timeout (host or network dead). */
export function isUnreachable(cause: string | undefined): boolean {
  return cause !== undefined && UNREACHABLE_CAUSES.has(cause);
}

/** Maps a connect or query failure to a probe kind. */
export function kindOfSqlError(e: SqlError): ProbeKind {
  if (e.errno === ER_TOO_MANY_CONNECTIONS) return 'unknown';
  switch (e.code) {
    case 'SQL_CONNECT_REFUSED':
      return 'refused';
    case 'SQL_CONNECT_TIMEOUT':
    case 'SQL_QUERY_TIMEOUT':
      return 'timeout';
    case 'SQL_CONNECT_FAILED':
      return isUnreachable(e.cause) ? 'timeout' : 'error';
    default:
      return 'error';
  }
}
