// Reads what another server has written (its binlog GTID position, and file:pos), with a short
// connect timeout: used to decide what this host must apply before it changes role.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { openDb } from '../sql/open.js';
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import { cellText } from '@mmm-ts/protocol/mysql';

export interface PeerPosition {
  /** The peer's binlog GTID position ('' when it has none). */
  readonly gtid: string;
  readonly file: string;
  readonly pos: number | null;
}

/** Connects to `endpoint` (bounded by timeoutMs), reads its binlog position, closes. */
export async function readPeerPosition(connect: SqlConnector, endpoint: MysqlEndpoint, timeoutMs: number): Promise<Result<PeerPosition, AgentError>> {
  const db = await openDb(connect, endpoint, timeoutMs);
  if (!db.ok) return db;
  const { sql, dialect } = db.value;
  try {
    const g = await sql.query(dialect.binlogGtidQuery, [], timeoutMs);
    if (!g.ok) return err(sqlFailed(`cannot read the GTID position of ${endpoint.host}`, g.error));
    const s = await sql.query(dialect.showBinlogStatus, [], timeoutMs);
    if (!s.ok) return err(sqlFailed(`cannot read the binlog status of ${endpoint.host}`, s.error));
    const gv = g.value[0]?.['gtid'];
    const row = s.value[0];
    const posNum = Number(row?.['Position']);
    return ok({
      gtid: cellText(gv),
      file: typeof row?.['File'] === 'string' ? row['File'] : '',
      pos: Number.isFinite(posNum) && row?.['Position'] !== undefined ? posNum : null,
    });
  } finally {
    await sql.close();
  }
}
