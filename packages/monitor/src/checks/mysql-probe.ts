// The `mysql` check: `SELECT 1` on a persistent monitor connection, bounded by the check's timeout.
// Refused (mysqld dead, host up), timeout (host/network dead or server hung: TCP connects, the
// handshake hangs) and error are told apart; "too many connections" (1040) is UNKNOWN as in MMM.
import type { MysqlLink } from './mysql-link.js';
import { kindOfSqlError, probeResult, type Clock } from './probe-kit.js';
import type { ProbeResult } from './trap.js';

/** One `mysql` probe on `link`; never throws. */
export async function probeMysql(link: MysqlLink, timeoutMs: number, now: Clock): Promise<ProbeResult> {
  const startedAt = now();
  try {
    const r = await link.use(timeoutMs, (s) => s.sql.query('SELECT 1 AS ok', [], s.remainingMs));
    if (r.ok) return probeResult('ok', 'SELECT 1 answered', startedAt, now);
    const kind = kindOfSqlError(r.error);
    return probeResult(kind, `${r.error.code}: ${r.error.message}`, startedAt, now);
  } catch (e) {
    return probeResult('error', `mysql probe failed: ${e instanceof Error ? e.message : String(e)}`, startedAt, now);
  }
}
