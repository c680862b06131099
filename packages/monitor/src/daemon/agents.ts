// The monitor's side of every agent: one bounded request at a time per host, commands to different
// hosts concurrently, and a per-host record (reachable, uptime, last SET_STATUS result and when it
// was sent) that the core reads. A hung or dead agent costs only its own timeout, never the loop's.
import {
  decodeReply,
  encodeRequest,
  parseAgentStatusReply,
  parseSystemStatusReply,
  PROTOCOL_VERSION,
  sendRequest,
  sortRoles,
  type AgentStatus,
  type Logger,
  type Result,
  type SystemStatus,
  type TransportError,
} from '@mmm-ts/protocol';
import type { AgentCommand, AgentObs } from '../core/index.js';

/** Where one agent listens. */
export interface AgentEndpoint {
  readonly ip: string;
  readonly port: number;
}

/** Sends one line and returns the reply line; the real one is sendRequest with the cluster secret. */
export type AgentTransport = (
  host: string,
  ep: AgentEndpoint,
  line: string,
  timeouts: { readonly connectMs: number; readonly readMs: number },
) => Promise<Result<string, TransportError>>;

/** The production transport: authenticated unless `secret` is null (MMM v1 compatibility). */
export function socketTransport(secret: string | null): AgentTransport {
  return (_host, ep, line, t) =>
    sendRequest({ host: ep.ip, port: ep.port, secret, connectTimeoutMs: t.connectMs, readTimeoutMs: t.readMs }, line);
}

export interface AgentTimeouts {
  readonly connectMs: number;
  /** PING, GET_AGENT_STATUS, GET_SYSTEM_STATUS, CLEAR_BAD_ROLES. */
  readonly queryMs: number;
  /** Heartbeat SET_STATUS (nothing to wait for on the agent). */
  readonly heartbeatMs: number;
  /** release (deny_write may wait for writers), promote and repoint (sync_with_master). */
  readonly actionMs: number;
}

export interface AgentRecord {
  reachable: boolean;
  lastError?: string;
  uptimeS?: number;
  lastSetStatusOk?: boolean;
  lastSetStatusError?: string;
  lastSetStatusAt?: number;
  /** Reply time of the last SET_STATUS giving the writer role answered OK (the agent's lease start). */
  leaseRenewedAt?: number;
  /** The `state|roles|master` of the last SET_STATUS answered OK (heartbeat rate limit). */
  lastAppliedKey?: string;
  /** When the last SET_STATUS was sent (any result), and its `state|roles|master`. */
  lastSentAt?: number;
  lastSentKey?: string;
  /** When any request last got a reply or failed. */
  lastContactAt?: number;
  busy: boolean;
}

export type SendOutcome =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'reply'; readonly ok: boolean; readonly payload: string }
  | { readonly kind: 'transport'; readonly error: TransportError };

export interface AgentClientOptions {
  readonly endpoints: Readonly<Record<string, AgentEndpoint>>;
  readonly transport: AgentTransport;
  readonly timeouts: AgentTimeouts;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Called when a reply changes a record (the loop wakes up). */
  readonly onChange?: () => void;
  /** active_master_role: a SET_STATUS giving it, answered OK, renews the agent's writer lease. */
  readonly writerRole?: string;
}

/** What an agent says about another host's MySQL (CHECK_HOST, the second opinion). */
export interface HostCheckAnswer {
  readonly mysql: 'ok' | 'refused' | 'timeout' | 'error';
  readonly replication: string;
  readonly detail: string;
}

/** The key of a SET_STATUS content, to tell a re-assertion from a change. */
export function commandKey(c: Pick<AgentCommand, 'state' | 'roles' | 'master'>): string {
  return `${c.state}|${sortRoles(c.roles).map((r) => `${r.name}(${r.ip})`).join(',')}|${c.master}`;
}

/** Client for every agent of the cluster; see the file comment for its guarantees. */
export class AgentClient {
  private readonly records = new Map<string, AgentRecord>();
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(private readonly opts: AgentClientOptions) {
    this.now = opts.now ?? Date.now;
    for (const h of Object.keys(opts.endpoints)) this.records.set(h, { reachable: false, busy: false });
  }

  /** The record of one host (a copy). */
  record(host: string): AgentRecord {
    return { ...(this.records.get(host) ?? { reachable: false, busy: false }) };
  }

  /** What the core reads about a host's agent. */
  obs(host: string): AgentObs {
    const r = this.records.get(host);
    if (r === undefined) return { reachable: false };
    return {
      reachable: r.reachable,
      ...(r.lastError === undefined ? {} : { lastError: r.lastError }),
      ...(r.uptimeS === undefined ? {} : { uptimeS: r.uptimeS }),
      ...(r.lastSetStatusOk === undefined ? {} : { lastSetStatusOk: r.lastSetStatusOk }),
      ...(r.lastSetStatusError === undefined ? {} : { lastSetStatusError: r.lastSetStatusError }),
      ...(r.lastSetStatusAt === undefined ? {} : { lastSetStatusAt: r.lastSetStatusAt }),
      ...(r.leaseRenewedAt === undefined ? {} : { leaseRenewedAt: r.leaseRenewedAt }),
    };
  }

  isBusy(host: string): boolean {
    return this.records.get(host)?.busy === true;
  }

  /** Resolves when every request in flight has ended (shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }

  /**
   * Sends one line to `host`. With `skipIfBusy` (heartbeats, pings) nothing is sent while another
   * request to the host is in flight; otherwise the request waits for it (never two at once).
   */
  async send(host: string, line: string, readMs: number, skipIfBusy: boolean, onSent?: (at: number) => void): Promise<SendOutcome> {
    const rec = this.records.get(host);
    const ep = this.opts.endpoints[host];
    if (rec === undefined || ep === undefined) return { kind: 'transport', error: { code: 'UNREACHABLE', message: `unknown host ${host}` } };
    if (skipIfBusy && rec.busy) return { kind: 'skipped' };
    const prev = this.tails.get(host) ?? Promise.resolve();
    const run = prev.then(async (): Promise<SendOutcome> => {
      rec.busy = true;
      onSent?.(this.now());
      try {
        const r = await this.opts.transport(host, ep, line, { connectMs: this.opts.timeouts.connectMs, readMs });
        return this.absorb(host, rec, r);
      } finally {
        rec.busy = false;
        rec.lastContactAt = this.now();
      }
    });
    this.tails.set(host, run.catch(() => undefined));
    return run;
  }

  private absorb(host: string, rec: AgentRecord, r: Result<string, TransportError>): SendOutcome {
    const was = rec.reachable;
    if (!r.ok) {
      rec.reachable = false;
      rec.lastError = `${r.error.code}: ${r.error.message}`;
      if (was) this.opts.logger.warn({ event: 'agent.unreachable', host, code: r.error.code, err: r.error.message }, 'agent not reachable');
      if (was) this.opts.onChange?.();
      return { kind: 'transport', error: r.error };
    }
    const d = decodeReply(r.value);
    rec.reachable = true;
    if (!was) {
      this.opts.logger.info({ event: 'agent.reachable', host }, 'agent reachable');
      this.opts.onChange?.();
    }
    if (!d.ok) {
      delete rec.lastError;
      return { kind: 'reply', ok: false, payload: `ERROR: ${d.error.message}` };
    }
    if (d.value.uptime !== null) rec.uptimeS = d.value.uptime;
    delete rec.lastError;
    return { kind: 'reply', ok: d.value.ok, payload: d.value.payload };
  }

  /** SET_STATUS as the core asked; heartbeats are skipped while busy and rate limited by the caller. */
  async setStatus(c: AgentCommand): Promise<SendOutcome> {
    const line = encodeRequest({ kind: 'SET_STATUS', version: PROTOCOL_VERSION, host: c.host, state: c.state, roles: sortRoles(c.roles), master: c.master });
    const heartbeat = c.purpose === 'heartbeat' && !c.critical;
    const readMs = heartbeat ? this.opts.timeouts.heartbeatMs : this.opts.timeouts.actionMs;
    const rec = this.records.get(c.host);
    let sentAt = this.now();
    // Only critical commands wait behind a request in flight; anything else is re-sent next tick.
    const out = await this.send(c.host, line, readMs, !c.critical, (at) => {
      sentAt = at;
      if (rec !== undefined) {
        rec.lastSentAt = at;
        rec.lastSentKey = commandKey(c);
      }
    });
    if (out.kind === 'skipped' || rec === undefined) return out;
    rec.lastSetStatusAt = sentAt;
    if (out.kind === 'reply' && out.ok) {
      rec.lastSetStatusOk = true;
      if (c.roles.some((r) => r.name === (this.opts.writerRole ?? 'writer'))) rec.leaseRenewedAt = this.now();
      delete rec.lastSetStatusError;
      rec.lastAppliedKey = commandKey(c);
    } else {
      rec.lastSetStatusOk = false;
      rec.lastSetStatusError = out.kind === 'reply' ? out.payload : `${out.error.code}: ${out.error.message}`;
      delete rec.lastAppliedKey;
      if (out.kind === 'reply') {
        this.opts.logger.warn({ event: 'agent.set_status_failed', host: c.host, purpose: c.purpose, error: out.payload }, 'agent refused SET_STATUS');
      } else {
        this.opts.logger.warn({ event: 'agent.set_status_failed', host: c.host, purpose: c.purpose, error: rec.lastSetStatusError }, 'SET_STATUS not delivered');
      }
    }
    this.opts.onChange?.();
    return out;
  }

  /** PING (reachability and uptime when nothing else is sent); skipped while busy. */
  async ping(host: string): Promise<SendOutcome> {
    return this.send(host, encodeRequest({ kind: 'PING', version: PROTOCOL_VERSION, host }), this.opts.timeouts.queryMs, true);
  }

  /** GET_AGENT_STATUS: null when unreachable or the reply is not a status. */
  async agentStatus(host: string): Promise<AgentStatus | null> {
    const out = await this.send(host, encodeRequest({ kind: 'GET_AGENT_STATUS', version: PROTOCOL_VERSION, host }), this.opts.timeouts.queryMs, false);
    if (out.kind !== 'reply' || !out.ok) return null;
    const p = parseAgentStatusReply(out.payload);
    return p.ok ? p.value : null;
  }

  /** GET_SYSTEM_STATUS: null when unreachable or the reply is not a status. */
  async systemStatus(host: string): Promise<SystemStatus | null> {
    const out = await this.send(host, encodeRequest({ kind: 'GET_SYSTEM_STATUS', version: PROTOCOL_VERSION, host }), this.opts.timeouts.queryMs, false);
    if (out.kind !== 'reply' || !out.ok) return null;
    const p = parseSystemStatusReply(out.payload);
    return p.ok ? p.value : null;
  }

  /**
   * CHECK_HOST (an MMM-TS extension): can this host's agent reach `target`'s MySQL? Skipped while a
   * request to the host is in flight; null when skipped, unreachable, or an agent without the
   * extension (an original MMM agent answers `Invalid command`).
   */
  async checkHost(host: string, target: string, denyMs?: number): Promise<HostCheckAnswer | null> {
    // With deny_ms a "not ok" answer also withdraws the agent's failsafe backing of target (docs/fencing.md).
    const params = denyMs === undefined ? [target] : [target, String(Math.round(denyMs))];
    const line = encodeRequest({ kind: 'EXTENSION', version: PROTOCOL_VERSION, host, command: 'CHECK_HOST', params });
    const out = await this.send(host, line, this.opts.timeouts.queryMs + 1_000, true);
    if (out.kind !== 'reply' || !out.ok) return null;
    const [head, mysql, replication, detail] = out.payload.split('|');
    if (head !== 'OK: Returning status!' || (mysql !== 'ok' && mysql !== 'refused' && mysql !== 'timeout' && mysql !== 'error')) return null;
    return { mysql, replication: replication ?? '', detail: detail ?? '' };
  }

  /** CLEAR_BAD_ROLES after startup; the reply text (or the transport error). */
  async clearBadRoles(host: string): Promise<SendOutcome> {
    return this.send(host, encodeRequest({ kind: 'CLEAR_BAD_ROLES', version: PROTOCOL_VERSION, host }), this.opts.timeouts.actionMs, false);
  }
}
