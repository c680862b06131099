// Reads this server's replication status in the normalized shape (null when it replicates from nobody).
import { err, ok, type Result } from '@mmm-ts/protocol';
import { normalizeReplicaStatus, type ReplicaStatus } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { cellText } from '@mmm-ts/protocol/mysql';

/** SHOW SLAVE/REPLICA STATUS, normalized; null when no replication is configured. */
export async function readReplicaStatus(env: SqlEnv): Promise<Result<ReplicaStatus | null, AgentError>> {
  const r = await env.sql.query(env.dialect.showReplicaStatus, [], queryTimeout(env));
  if (!r.ok) return err(sqlFailed(`${env.dialect.showReplicaStatus} failed`, r.error));
  const row = r.value[0];
  return ok(row === undefined ? null : normalizeReplicaStatus(row));
}

/** Reads one string column of the first row of a query. */
export async function readString(env: SqlEnv, sql: string, column: string): Promise<Result<string, AgentError>> {
  const r = await env.sql.query(sql, [], queryTimeout(env));
  if (!r.ok) return err(sqlFailed(`${sql} failed`, r.error));
  const v = r.value[0]?.[column];
  return ok(cellText(v));
}
