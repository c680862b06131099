// Everything the request handlers need about this host, assembled once at start-up from the config:
// the local database, IP operations, and the options each action takes.
import type { Logger, Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import { openDb, type OpenedDb } from '../sql/open.js';
import { localEndpoint } from '../sql/local.js';
import type { ClusterConfig, HostConfig } from '@mmm-ts/protocol/config';
import type { DenyWriteOptions } from '../actions/deny-write.js';
import type { SetActiveMasterOptions } from '../actions/set-active-master.js';
import type { SyncWithMasterOptions } from '../actions/sync-with-master.js';
import type { IpOps } from '../ip/ip-ops.js';
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';
import type { LocalDb } from './local-db.js';

export interface AgentRuntime {
  readonly cfg: ClusterConfig;
  readonly host: HostConfig;
  readonly db: LocalDb;
  readonly ipOps: IpOps;
  readonly connect: SqlConnector;
  readonly logger: Logger;
  readonly denyWriteOptions: DenyWriteOptions;
  /** A fresh connection to this host's mysqld (for discovery and re-assertion, which close it). */
  openLocal(): Promise<Result<OpenedDb, AgentError>>;
  syncOptions(): SyncWithMasterOptions;
  setActiveMasterOptions(master: string): SetActiveMasterOptions | null;
}

/** How this agent reaches another host's mysqld as the agent user (by name or by IP). */
export function agentEndpoint(cfg: ClusterConfig, hostOrIp: string): MysqlEndpoint | null {
  const h = cfg.hosts[hostOrIp] ?? Object.values(cfg.hosts).find((x) => x.ip === hostOrIp);
  if (h === undefined) return null;
  return { host: h.ip, port: h.mysqlPort, user: h.agentUser, password: h.agentPassword };
}

export interface RuntimeDeps {
  readonly cfg: ClusterConfig;
  readonly host: HostConfig;
  readonly db: LocalDb;
  readonly ipOps: IpOps;
  readonly connect: SqlConnector;
  readonly logger: Logger;
  /** Bound on connecting to a peer's mysqld [300]. */
  readonly peerConnectTimeoutMs?: number;
}

export function createRuntime(d: RuntimeDeps): AgentRuntime {
  const { cfg, host } = d;
  // The peer is on the same network; a handshake slower than this means it is hung or cut off, and
  // sync_with_master falls back to what this host's IO thread received (a hung peer cost 1 s here).
  const peerConnectTimeoutMs = d.peerConnectTimeoutMs ?? 300;
  const spareUsers = [...new Set(Object.values(cfg.hosts).flatMap((h) => [h.agentUser, h.monitorUser, h.replicationUser]))];
  return {
    ...d,
    openLocal: () => openDb(d.connect, localEndpoint(host), 1_000),
    denyWriteOptions: { mode: cfg.agent.denyWrite, maxKillRetries: cfg.agent.maxKillRetries, spareUsers },
    syncOptions() {
      const peer = host.peer !== null ? agentEndpoint(cfg, host.peer) : null;
      return { ...(peer !== null ? { peer } : {}), connect: d.connect, peerConnectTimeoutMs, syncTimeoutMs: cfg.agent.syncTimeoutMs };
    },
    setActiveMasterOptions(master) {
      const m = cfg.hosts[master];
      if (m === undefined) return null;
      return {
        newMaster: { host: m.ip, port: m.mysqlPort },
        replicationUser: host.replicationUser,
        replicationPassword: host.replicationPassword,
        agentEndpointOf: (h) => agentEndpoint(cfg, h),
        connect: d.connect,
        peerConnectTimeoutMs,
        syncTimeoutMs: cfg.agent.syncTimeoutMs,
      };
    },
  };
}
