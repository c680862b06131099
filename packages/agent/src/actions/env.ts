// What every SQL action needs: this host's server connection, its dialect, time, and a logger.
import type { Logger } from '@mmm-ts/protocol';
import type { Dialect } from '@mmm-ts/protocol/mysql';
import type { Sql } from '@mmm-ts/protocol/mysql';
import type { Clock } from '../clock.js';

export interface SqlEnv {
  readonly sql: Sql;
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Bound on each statement that is not itself a bounded wait [2000]. */
  readonly queryTimeoutMs?: number;
}

/** The per-statement bound an action uses. */
export function queryTimeout(env: SqlEnv): number {
  return env.queryTimeoutMs ?? 2_000;
}
