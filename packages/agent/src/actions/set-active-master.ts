// set_active_master: repoint this replica to the new master by GTID (MariaDB slave_pos, MySQL
// auto-position), so no event is skipped or applied twice (MMM's flaw 3); confirmed by re-reading
// the replica status. Without GTID it refuses rather than guess a binlog position.
import { isIP } from 'node:net';
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { ReplicaStatus } from '@mmm-ts/protocol/mysql';
import { sqlFailed, type AgentError } from '../errors.js';
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';
import { queryTimeout, type SqlEnv } from './env.js';
import { readPeerPosition } from './peer.js';
import { readReplicaStatus, readString } from './replica.js';
import { waitForGtid } from './wait-gtid.js';

export interface SetActiveMasterOptions {
  /** The new master's address as replicas reach it (its host IP) and MySQL port. */
  readonly newMaster: { readonly host: string; readonly port: number };
  /** replication_user / replication_password from the config. */
  readonly replicationUser: string;
  readonly replicationPassword: string;
  /** How to reach a master (by the Master_Host this replica shows) as the agent user; null if unknown. */
  readonly agentEndpointOf: (host: string) => MysqlEndpoint | null;
  readonly connect: SqlConnector;
  readonly peerConnectTimeoutMs?: number;
  /** agent.sync_timeout: bound on the wait for the old master's position. */
  readonly syncTimeoutMs: number;
  /** master_connect_retry in seconds [1]. */
  readonly connectRetryS?: number;
}

export interface SetActiveMasterObserved {
  /** False when replication already pointed at the new master by GTID and ran (idempotent no-op). */
  readonly changed: boolean;
  readonly previousHost: string;
  /** Whether this replica had caught up with the old master before the switch. */
  readonly caughtUpWithOld: boolean | null;
  readonly status: ReplicaStatus;
}

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** Re-reads after START SLAVE until confirmed: 40 × 50 ms = 2 s at most. */
const CONFIRM_POLLS = 40;
const CONFIRM_POLL_MS = 50;
const USER_RE = /^[^\s'"`\\]{1,80}$/;

function usesGtid(env: SqlEnv, st: ReplicaStatus): boolean {
  return env.dialect.flavor.kind === 'mariadb' ? st.usingGtid === 'Slave_Pos' : st.autoPosition === true;
}

/** Re-reads replica status and checks it points at host:port by GTID with both threads alive. */
function confirm(env: SqlEnv, st: ReplicaStatus | null, host: string, port: number): string | null {
  if (st === null) return 'no replication status after CHANGE MASTER';
  if (st.sourceHost !== host || st.sourcePort !== port) return `replica points at ${st.sourceHost}:${st.sourcePort ?? '?'}, not ${host}:${port}`;
  if (!usesGtid(env, st)) return `replica does not use GTID positioning (Using_Gtid=${st.usingGtid ?? '-'}, Auto_Position=${String(st.autoPosition)})`;
  if (st.ioThread === 'stopped') return `replication IO thread is not running${st.lastIoError ? `: ${st.lastIoError}` : ''}`;
  if (!st.sqlRunning) return `replication SQL thread is not running${st.lastSqlError ? `: ${st.lastSqlError}` : ''}`;
  return null;
}

/** Repoints replication to opts.newMaster by GTID after a bounded catch-up with the old master. */
export async function setActiveMaster(env: SqlEnv, opts: SetActiveMasterOptions): Promise<Result<SetActiveMasterObserved, AgentError>> {
  const log = env.logger;
  const { host, port } = opts.newMaster;
  if ((isIP(host) === 0 && !HOSTNAME_RE.test(host)) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    return err({ code: 'AGENT_REPOINT_BAD_TARGET', message: `invalid new master ${JSON.stringify(host)}:${JSON.stringify(port)}` });
  }
  if (!USER_RE.test(opts.replicationUser)) {
    return err({ code: 'AGENT_REPOINT_BAD_TARGET', message: `invalid replication user ${JSON.stringify(opts.replicationUser)}` });
  }
  const gtidOn = await readString(env, env.dialect.gtidEnabledQuery, 'gtid_enabled');
  if (!gtidOn.ok) return gtidOn;
  if (gtidOn.value !== '1') {
    return err({ code: 'AGENT_REPOINT_NEEDS_GTID', message: 'GTID is off on this server: refusing a position-based repoint that could skip or repeat events' });
  }

  const before = await readReplicaStatus(env);
  if (!before.ok) return before;
  const previousHost = before.value?.sourceHost ?? '';
  if (before.value !== null && confirm(env, before.value, host, port) === null) {
    log.info({ event: 'action.set_active_master', host, port, changed: false }, 'already replicating from the new master');
    return ok({ changed: false, previousHost, caughtUpWithOld: null, status: before.value });
  }

  // Bounded catch-up with the old master while it still answers. With GTID a timeout here loses
  // nothing (the new master sends what this replica lacks), so it is logged, not fatal.
  let caughtUpWithOld: boolean | null = null;
  const oldEp = previousHost !== '' && previousHost !== host ? opts.agentEndpointOf(previousHost) : null;
  if (oldEp !== null && before.value?.sqlRunning === true) {
    const p = await readPeerPosition(opts.connect, oldEp, opts.peerConnectTimeoutMs ?? 1_000);
    if (p.ok) {
      const w = await waitForGtid(env, p.value.gtid, opts.syncTimeoutMs);
      caughtUpWithOld = w.ok;
      if (!w.ok) log.warn({ event: 'action.set_active_master', step: 'catch_up', err: w.error }, 'did not catch up with the old master; repointing by GTID anyway');
    }
  }

  const qt = queryTimeout(env);
  const stop = await env.sql.query(env.dialect.stopReplica, [], qt + 5_000);
  if (!stop.ok) return err(sqlFailed(`${env.dialect.stopReplica} failed`, stop.error));
  const change = env.dialect.changeSourceGtid({
    host, port, user: opts.replicationUser, password: opts.replicationPassword, connectRetryS: opts.connectRetryS ?? 1,
  });
  const ch = await env.sql.query(change.sql, change.params, qt);
  if (!ch.ok) return err(sqlFailed('CHANGE MASTER failed', ch.error));
  const start = await env.sql.query(env.dialect.startReplica, [], qt);
  if (!start.ok) return err(sqlFailed(`${env.dialect.startReplica} failed`, start.error));

  // START SLAVE returns before the IO thread has connected: re-read for a short bound.
  let after = await readReplicaStatus(env);
  for (let i = 0; i < CONFIRM_POLLS && after.ok && confirm(env, after.value, host, port) !== null; i++) {
    await env.clock.sleep(CONFIRM_POLL_MS);
    after = await readReplicaStatus(env);
  }
  if (!after.ok) return after;
  const problem = confirm(env, after.value, host, port);
  if (problem !== null || after.value === null) {
    return err({ code: 'AGENT_REPOINT_UNVERIFIED', message: problem ?? 'no replication status after CHANGE MASTER' });
  }
  log.info({ event: 'action.set_active_master', host, port, previousHost, caughtUpWithOld, changed: true }, 'replication repointed by GTID');
  return ok({ changed: true, previousHost, caughtUpWithOld, status: after.value });
}
