// The real probes of every check, wired to per-host persistent connections, and the death watches
// that turn a killed mysqld into an immediate re-probe. The runner takes these unless a test
// replaces some of them.
import type { ClusterConfig, HostConfig } from '@mmm-ts/protocol/config';
import type { SqlConnector } from '@mmm-ts/protocol/mysql';
import { createMysqlLink, monitorEndpoint, type MysqlLink } from './mysql-link.js';
import { probeMysql } from './mysql-probe.js';
import { createNetworkProbe, type NetworkProbe } from './network.js';
import { probePing } from './ping-probe.js';
import type { Clock } from './probe-kit.js';
import { createReplicaReader, probeRepBacklog, probeRepThreads, type ReplicaReader } from './rep-probes.js';
import type { ProbeResult } from './trap.js';
import { startDeathWatch, type DeathWatch } from './watch.js';

/** One check's probe for one host, bounded by `timeoutMs`, never throwing. */
export type Probe = (host: HostConfig, timeoutMs: number) => Promise<ProbeResult>;

export interface ProbeSet {
  readonly ping: Probe;
  readonly mysql: Probe;
  readonly repThreads: Probe;
  readonly repBacklog: Probe;
  /** The monitor's own network check over monitor.pingIps. */
  readonly network: NetworkProbe;
}

export interface RealProbes {
  readonly probes: ProbeSet;
  /** Starts one death watch per host; `onLost(host)` fires when its connection drops. */
  watch(onLost: (host: string) => void): void;
  /** Closes every connection and watch. */
  close(): Promise<void>;
}

/** Builds the real probes: for each host a `mysql` link, a replication link and (on `watch`) a death watch. */
export function createRealProbes(cfg: ClusterConfig, connect: SqlConnector, now: Clock): RealProbes {
  const mysqlLinks = new Map<string, MysqlLink>();
  const repLinks = new Map<string, MysqlLink>();
  const readers = new Map<string, ReplicaReader>();
  const watches: DeathWatch[] = [];
  const repReuseMs = Math.min(cfg.checks.repThreads.intervalMs, cfg.checks.repBacklog.intervalMs) / 2;

  const mysqlLink = (h: HostConfig): MysqlLink => {
    let l = mysqlLinks.get(h.name);
    if (l === undefined) {
      l = createMysqlLink(monitorEndpoint(h), connect, { withDialect: false, now });
      mysqlLinks.set(h.name, l);
    }
    return l;
  };
  const reader = (h: HostConfig): ReplicaReader => {
    let r = readers.get(h.name);
    if (r === undefined) {
      const l = createMysqlLink(monitorEndpoint(h), connect, { withDialect: true, now });
      repLinks.set(h.name, l);
      r = createReplicaReader(l, now, repReuseMs);
      readers.set(h.name, r);
    }
    return r;
  };

  const probes: ProbeSet = {
    ping: (h, t) => probePing(h.ip, h.agentPort, t, now),
    mysql: (h, t) => probeMysql(mysqlLink(h), t, now),
    repThreads: (h, t) => probeRepThreads(reader(h), t, now),
    repBacklog: (h, t) => probeRepBacklog(reader(h), t, cfg.checks.repBacklog.maxBacklogMs, now),
    network: createNetworkProbe(),
  };

  return {
    probes,
    watch(onLost) {
      for (const name of cfg.hostNames) {
        const h = cfg.hosts[name];
        if (h === undefined) continue;
        watches.push(startDeathWatch(monitorEndpoint(h), {
          connect,
          connectTimeoutMs: cfg.checks.mysql.timeoutMs,
          retryMs: cfg.checks.mysql.intervalMs,
          onLost: () => onLost(name),
        }));
      }
    },
    async close() {
      await Promise.all([
        ...watches.map((w) => w.stop()),
        ...[...mysqlLinks.values(), ...repLinks.values()].map((l) => l.close()),
      ]);
    },
  };
}
