// turn_off_slave / turn_on_slave (ADMIN_OFFLINE entered / left): stop or start both replication
// threads, verified by re-reading the replica status.
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { ReplicaStatus } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import { queryTimeout, type SqlEnv } from './env.js';
import { readReplicaStatus } from './replica.js';

async function run(env: SqlEnv, stmt: string, event: string, wantRunning: boolean): Promise<Result<ReplicaStatus, AgentError>> {
  const r = await env.sql.query(stmt, [], queryTimeout(env) + 5_000);
  if (!r.ok) return err(sqlFailed(`${stmt} failed`, r.error));
  const st = await readReplicaStatus(env);
  if (!st.ok) return st;
  if (st.value === null) return err({ code: 'AGENT_NOT_A_REPLICA', message: `${stmt}: this server replicates from nobody` });
  const running = st.value.sqlRunning && st.value.ioThread !== 'stopped';
  const stopped = !st.value.sqlRunning && st.value.ioThread === 'stopped';
  if (wantRunning ? !running : !stopped) {
    const why = st.value.lastIoError || st.value.lastSqlError;
    return err({ code: 'AGENT_REPLICATION_UNVERIFIED', message: `${stmt} ran but the replication threads are ${wantRunning ? 'not running' : 'still running'}${why ? `: ${why}` : ''}` });
  }
  env.logger.info({ event, io: st.value.ioThread, sql: st.value.sqlRunning }, wantRunning ? 'replication started' : 'replication stopped');
  return ok(st.value);
}

/** STOP SLAVE/REPLICA, verified. */
export function turnOffSlave(env: SqlEnv): Promise<Result<ReplicaStatus, AgentError>> {
  return run(env, env.dialect.stopReplica, 'action.turn_off_slave', false);
}

/** START SLAVE/REPLICA, verified. */
export function turnOnSlave(env: SqlEnv): Promise<Result<ReplicaStatus, AgentError>> {
  return run(env, env.dialect.startReplica, 'action.turn_on_slave', true);
}
