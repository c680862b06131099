// sync_with_master: before this host takes the writer role, wait (bounded) until it has applied
// everything its peer had. On timeout or a stopped SQL thread the writer is NOT taken: an error.
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';
import type { SqlEnv } from './env.js';
import { readPeerPosition } from './peer.js';
import { readReplicaStatus, readString } from './replica.js';
import { waitForGtid, waitForPosition } from './wait-gtid.js';

export interface SyncWithMasterOptions {
  /** The peer master as the agent user (from config); undefined when this host has no peer. */
  readonly peer?: MysqlEndpoint;
  readonly connect: SqlConnector;
  /** Connect bound for the peer [1000]. */
  readonly peerConnectTimeoutMs?: number;
  /** agent.sync_timeout. */
  readonly syncTimeoutMs: number;
}

export interface SyncObserved {
  /** Where the target came from: the peer itself, or what this host's IO thread had received. */
  readonly source: 'peer' | 'relay' | 'none';
  readonly method: 'gtid' | 'position' | 'none';
  readonly target: string;
  readonly waited: boolean;
}

/** Waits until this host has applied its peer's position (or, peer down, what it has received). */
export async function syncWithMaster(env: SqlEnv, opts: SyncWithMasterOptions): Promise<Result<SyncObserved, AgentError>> {
  const log = env.logger;
  const gtidOn = await readString(env, env.dialect.gtidEnabledQuery, 'gtid_enabled');
  if (!gtidOn.ok) return gtidOn;
  const useGtid = gtidOn.value === '1';

  // A stopped SQL thread means this host applies nothing: it must not take the writer even when it
  // looks caught up now (MMM opened writes anyway). No replication at all is fine (nothing to apply).
  const own = await readReplicaStatus(env);
  if (!own.ok) return own;
  if (own.value !== null && !own.value.sqlRunning) {
    return err({
      code: 'AGENT_SYNC_SQL_THREAD_STOPPED',
      message: `the replication SQL thread is stopped${own.value.lastSqlError ? ` (last error: ${own.value.lastSqlError})` : ''}; refusing to take the writer role`,
    });
  }

  let source: SyncObserved['source'] = 'none';
  let target = '';
  let file = '';
  let pos: number | null = null;
  if (opts.peer !== undefined) {
    const p = await readPeerPosition(opts.connect, opts.peer, opts.peerConnectTimeoutMs ?? 1_000);
    if (p.ok) {
      source = 'peer';
      ({ gtid: target, file, pos } = p.value);
    } else {
      log.warn({ event: 'action.sync_with_master', peer: opts.peer.host, err: p.error }, 'peer not reachable; using the relay position');
    }
  }
  if (source === 'none') {
    const st = await readReplicaStatus(env);
    if (!st.ok) return st;
    if (st.value === null) {
      log.info({ event: 'action.sync_with_master', source }, 'peer unreachable and no replication: nothing to wait for');
      return ok({ source, method: 'none', target: '', waited: false });
    }
    source = 'relay';
    target = (env.dialect.flavor.kind === 'mariadb' ? st.value.gtidIoPos : st.value.retrievedGtidSet) ?? '';
    file = st.value.sourceLogFile;
    pos = st.value.readSourceLogPos;
  }

  let waited: boolean;
  let method: SyncObserved['method'];
  if (useGtid) {
    method = 'gtid';
    const w = await waitForGtid(env, target, opts.syncTimeoutMs);
    if (!w.ok) return err(w.error);
    waited = w.value.waited;
  } else {
    if (file === '' || pos === null) {
      return err({ code: 'AGENT_SYNC_NO_POSITION', message: 'no GTID and no binlog position to wait for' });
    }
    method = 'position';
    target = `${file}:${pos}`;
    const w = await waitForPosition(env, file, pos, opts.syncTimeoutMs);
    if (!w.ok) return err(w.error);
    waited = w.value.waited;
  }
  const observed = { source, method, target, waited };
  log.info({ event: 'action.sync_with_master', ...observed }, 'caught up with the master');
  return ok(observed);
}
