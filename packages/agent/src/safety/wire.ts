// The wire form of the split-brain extensions (docs/protocol.md "Extensions"): command names, their
// parameters checked field by field, and MMM-style replies with parsers, so neither side writes or
// matches these strings by hand. An original MMM agent answers each with `ERROR: Invalid command`.
import { err, ok, REPLY_RETURNING_STATUS, type Result } from '@mmm-ts/protocol';

export const RENEW_LEASE = 'RENEW_LEASE';
export const PEER_STATUS = 'PEER_STATUS';
export const CHECK_HOST = 'CHECK_HOST';
export const GET_FENCE_STATUS = 'GET_FENCE_STATUS';
/** The extension names this agent understands (pass to decodeRequest's `extensions`). */
export const SAFETY_EXTENSIONS: readonly string[] = [RENEW_LEASE, PEER_STATUS, CHECK_HOST, GET_FENCE_STATUS];

/** Bounds of RENEW_LEASE's lease_ms. */
export const LEASE_MIN_MS = 100;
export const LEASE_MAX_MS = 600_000;

const DIGITS_RE = /^[0-9]{1,9}$/;

/** RENEW_LEASE's `<lease_ms>`: a whole number of ms within the bounds, or the ERROR reply. */
export function parseLeaseMs(params: readonly string[]): Result<number, string> {
  const [text] = params;
  if (text === undefined) return err(`ERROR: ${RENEW_LEASE} needs 1 parameter (lease_ms), got 0!`);
  if (!DIGITS_RE.test(text)) return err(`ERROR: Invalid lease '${text}'!`);
  const ms = Number(text);
  if (ms < LEASE_MIN_MS || ms > LEASE_MAX_MS) return err(`ERROR: Lease ${ms} ms is out of range (${LEASE_MIN_MS}-${LEASE_MAX_MS})!`);
  return ok(ms);
}

/** `OK: Lease renewed|<lease_ms>`. */
export function leaseRenewedReply(ms: number): string {
  return `OK: Lease renewed|${ms}`;
}

/** What PEER_STATUS returns: how long ago this agent last heard from the monitor, its state, and
 * whether it told the monitor (CHECK_HOST) that it cannot reach the asker's MySQL. */
export interface PeerStatus {
  /** ms since the last SET_STATUS or RENEW_LEASE; null when none was ever received. */
  readonly sinceMonitorMs: number | null;
  readonly state: string;
  /** A CHECK_HOST denial of the asker is in force here; null: the peer predates denials (3 fields). */
  readonly deniesAsker: boolean | null;
}

/** `OK: Returning status!|<ms or empty>|<state>|<1 when it denies the asker, else empty>`. */
export function peerStatusReply(s: PeerStatus): string {
  return `${REPLY_RETURNING_STATUS}|${s.sinceMonitorMs === null ? '' : String(Math.max(0, Math.floor(s.sinceMonitorMs)))}|${s.state}|${s.deniesAsker === true ? '1' : ''}`;
}

/** Parses a PEER_STATUS reply payload (after decodeReply stripped `|UP:`); 3 fields is an older agent. */
export function parsePeerStatusReply(payload: string): Result<PeerStatus, string> {
  const parts = payload.split('|');
  const [head, since, state, denies] = parts;
  if (head !== REPLY_RETURNING_STATUS || (parts.length !== 3 && parts.length !== 4) || since === undefined || state === undefined) {
    return err(`not a PEER_STATUS reply: ${JSON.stringify(payload.slice(0, 120))}`);
  }
  if (since !== '' && !DIGITS_RE.test(since)) return err(`bad ms-since-monitor ${JSON.stringify(since)}`);
  if (denies !== undefined && denies !== '' && denies !== '1') return err(`denies must be 1 or empty, got ${JSON.stringify(denies)}`);
  return ok({ sinceMonitorMs: since === '' ? null : Number(since), state, deniesAsker: denies === undefined ? null : denies === '1' });
}

/** CHECK_HOST's optional `<deny_ms>`: absent → null (no denial recorded), else the bounded ms. */
export function parseDenyMs(text: string | undefined): Result<number | null, string> {
  if (text === undefined) return ok(null);
  if (!DIGITS_RE.test(text)) return err(`ERROR: Invalid deny time '${text}'!`);
  const ms = Number(text);
  if (ms < LEASE_MIN_MS || ms > LEASE_MAX_MS) return err(`ERROR: Deny time ${ms} ms is out of range (${LEASE_MIN_MS}-${LEASE_MAX_MS})!`);
  return ok(ms);
}

export type MysqlReach = 'ok' | 'refused' | 'timeout' | 'error';
export type ReplicationFromTarget = 'io_running' | 'io_connecting' | 'io_stopped' | 'not_replicating_from_target';
const MYSQL_REACH: readonly string[] = ['ok', 'refused', 'timeout', 'error'];
const REPLICATION: readonly string[] = ['io_running', 'io_connecting', 'io_stopped', 'not_replicating_from_target'];

/** What CHECK_HOST returns: this agent's view of another host's MySQL. */
export interface HostCheck {
  readonly mysql: MysqlReach;
  readonly replication: ReplicationFromTarget;
  /** A short sentence (never '|' or a newline). */
  readonly detail: string;
}

/** `OK: Returning status!|<mysql>|<replication>|<detail>`; the detail is made wire-safe. */
export function checkHostReply(c: HostCheck): string {
  const detail = c.detail.replace(/[|\r\n]+/g, ' ').slice(0, 300);
  return `${REPLY_RETURNING_STATUS}|${c.mysql}|${c.replication}|${detail}`;
}

/** Parses a CHECK_HOST reply payload. */
export function parseCheckHostReply(payload: string): Result<HostCheck, string> {
  const parts = payload.split('|');
  const [head, mysql, replication, detail] = parts;
  if (head !== REPLY_RETURNING_STATUS || parts.length !== 4 || mysql === undefined || replication === undefined || detail === undefined) {
    return err(`not a CHECK_HOST reply: ${JSON.stringify(payload.slice(0, 120))}`);
  }
  if (!MYSQL_REACH.includes(mysql)) return err(`bad mysql reachability ${JSON.stringify(mysql)}`);
  if (!REPLICATION.includes(replication)) return err(`bad replication state ${JSON.stringify(replication)}`);
  return ok({ mysql: mysql as MysqlReach, replication: replication as ReplicationFromTarget, detail });
}

/** What GET_FENCE_STATUS returns. */
export interface FenceStatus {
  /** This agent fenced itself and has not been given the writer role since. */
  readonly fenced: boolean;
  /** ms left on the writer lease while it holds the writer role under a lease, else null. */
  readonly leaseRemainingMs: number | null;
  /** ms since it fenced itself (null when not fenced). */
  readonly sinceMs: number | null;
}

const ms = (v: number | null): string => (v === null ? '' : String(Math.max(0, Math.floor(v))));

/** `OK: Returning status!|<1 or empty>|<lease remaining ms or empty>|<since ms or empty>`. */
export function fenceStatusReply(s: FenceStatus): string {
  return `${REPLY_RETURNING_STATUS}|${s.fenced ? '1' : ''}|${ms(s.leaseRemainingMs)}|${ms(s.sinceMs)}`;
}

/** Parses a GET_FENCE_STATUS reply payload. */
export function parseFenceStatusReply(payload: string): Result<FenceStatus, string> {
  const parts = payload.split('|');
  const [head, fenced, lease, since] = parts;
  if (head !== REPLY_RETURNING_STATUS || parts.length !== 4 || fenced === undefined || lease === undefined || since === undefined) {
    return err(`not a GET_FENCE_STATUS reply: ${JSON.stringify(payload.slice(0, 120))}`);
  }
  if (fenced !== '' && fenced !== '1') return err(`fenced must be 1 or empty, got ${JSON.stringify(fenced)}`);
  for (const f of [lease, since]) if (f !== '' && !DIGITS_RE.test(f)) return err(`bad ms field ${JSON.stringify(f)}`);
  return ok({ fenced: fenced === '1', leaseRemainingMs: lease === '' ? null : Number(lease), sinceMs: since === '' ? null : Number(since) });
}
