// Builds the agent's WriterGuard from the config: the peers to ask, how to reach them (the cluster
// secret, the monitor's framing, short timeouts), and the emergency fence on this host.
import { performance } from 'node:perf_hooks';
import { sendRequest } from '@mmm-ts/protocol';
import { mysqlDenyWrite } from '../actions/deny-write.js';
import { fenceWriter, type FenceOutcome } from '../safety/fence.js';
import type { PeerSend } from '../safety/failsafe.js';
import { WriterGuard, type GuardHost } from '../safety/writer-guard.js';
import type { AgentRuntime } from './runtime.js';

/** How often the agent checks its writer lease. */
export const LEASE_TICK_MS = 150;
/** Bounds on one PEER_STATUS (connect, then reply): a failsafe round takes at most their sum. */
export const PEER_CONNECT_TIMEOUT_MS = 200;
export const PEER_READ_TIMEOUT_MS = 200;

/** Test seams; production uses the defaults. */
export interface SafetyDeps {
  /** Monotonic ms [performance.now]. */
  readonly now?: () => number;
  readonly send?: PeerSend;
  readonly fence?: (ips: readonly string[]) => Promise<FenceOutcome>;
}

/** The PeerSend that reaches other agents over TCP with the cluster secret. */
export function tcpPeerSend(rt: AgentRuntime): PeerSend {
  return (name, line) => {
    const h = rt.cfg.hosts[name];
    if (h === undefined) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_HOST', message: `no host ${name}` } });
    return sendRequest({
      host: h.ip, port: h.agentPort, secret: rt.cfg.security.secret,
      connectTimeoutMs: PEER_CONNECT_TIMEOUT_MS, readTimeoutMs: PEER_READ_TIMEOUT_MS,
    }, line);
  };
}

/** The emergency fence: writer IPs off and read_only on, with ~0.5 s of session grace. */
export function emergencyFence(rt: AgentRuntime): (ips: readonly string[]) => Promise<FenceOutcome> {
  return (ips) => fenceWriter({
    ipOps: rt.ipOps, iface: rt.host.interface, logger: rt.logger,
    denyWrite: () => rt.db.run((env) => mysqlDenyWrite({ ...env, queryTimeoutMs: 500 },
      { ...rt.denyWriteOptions, maxKillRetries: Math.min(1, rt.denyWriteOptions.maxKillRetries), killRetryIntervalMs: 500, lockWaitTimeoutS: 1 })),
  }, ips);
}

/** The guard for this agent, reading `cfg.fencing`. */
export function createWriterGuard(rt: AgentRuntime, host: GuardHost, deps: SafetyDeps): WriterGuard {
  return new WriterGuard(host, {
    writerLeaseMs: rt.cfg.fencing.writerLeaseMs,
    failsafe: rt.cfg.fencing.failsafe,
    self: rt.host.name,
    peers: rt.cfg.hostNames.filter((n) => n !== rt.host.name),
    now: deps.now ?? (() => performance.now()),
    send: deps.send ?? tcpPeerSend(rt),
    fence: deps.fence ?? emergencyFence(rt),
    logger: rt.logger.child({ component: 'writer-guard' }),
  });
}
