// Every reply string an MMM agent sends, byte-exact, with typed builders and parsers, so neither the
// agent nor the monitor ever writes or matches a reply by hand.
import { err, ok, type Result } from './result.js';
import type { ReplyError } from './errors.js';
import { formatRoleList, isHostState, parseRoleList, type HostState, type Role } from './types.js';

export const REPLY_PINGED = 'OK: Pinged!';
export const REPLY_STATUS_APPLIED = 'OK: Status applied successfully!';
export const REPLY_RETURNING_STATUS = 'OK: Returning status!';
/** Answer to a line that failed authentication: plain (never signed), identical for every cause. */
export const REPLY_AUTH_FAILED = 'ERROR: authentication failed';
/** Answer when the request handler threw: a bug, logged by the server. */
export const REPLY_INTERNAL_ERROR = 'ERROR: internal error';
/** Answer to a line that is not valid UTF-8 (ours; MMM took any bytes). */
export const REPLY_INVALID_UTF8 = 'ERROR: Invalid UTF-8 in command!';

/** Answer to a line longer than the limit (ours; MMM echoed it back whole). */
export function lineTooLongReply(maxLineBytes: number): string {
  return `ERROR: Line too long (more than ${maxLineBytes} bytes)!`;
}

/** MMM's answer to a short line (whole line quoted) or an unknown command (its name quoted). */
export function invalidCommandReply(quoted: string): string {
  return `ERROR: Invalid command '${quoted}'!`;
}

/** MMM's answer when the request names another host; the agent checks this, the codec does not. */
export function hostMismatchReply(got: string, mine: string): string {
  return `ERROR: Invalid hostname in command (${got})! My name is '${mine}'`;
}

/** MMM's answer to CLEAR_BAD_ROLES. */
export function removedRolesReply(count: number): string {
  return `OK: Removed ${count} roles`;
}

/** Any failure answer: `ERROR: <message>`. */
export function errorReply(message: string): string {
  return `ERROR: ${message}`;
}

/** Whether a reply payload reports a failure (MMM's monitor tests `/^OK/` for success). */
export function isErrorReply(payload: string): boolean {
  return !payload.startsWith('OK');
}

const badReply = (payload: string, why: string): ReplyError => ({
  code: 'PROTO_BAD_REPLY',
  message: `${why}: ${JSON.stringify(payload.length > 200 ? `${payload.slice(0, 200)}…` : payload)}`,
});

/** What GET_AGENT_STATUS returns: the agent's remembered state, roles and active master. */
export interface AgentStatus {
  readonly state: HostState;
  readonly roles: readonly Role[];
  readonly master: string;
}

/** `OK: Returning status!|<state>|<roles csv>|<master>` (roles in the order given: the agent keeps them sorted). */
export function agentStatusReply(s: AgentStatus): string {
  return `${REPLY_RETURNING_STATUS}|${s.state}|${formatRoleList(s.roles)}|${s.master}`;
}

function statusFields(payload: string): Result<[string, string, string], ReplyError> {
  const parts = payload.split('|');
  if (parts[0] !== REPLY_RETURNING_STATUS) return err(badReply(payload, 'not a status reply'));
  const [, a, b, c] = parts;
  if (parts.length !== 4 || a === undefined || b === undefined || c === undefined) {
    return err(badReply(payload, 'a status reply has exactly 3 fields'));
  }
  return ok([a, b, c]);
}

/** Parses a GET_AGENT_STATUS reply payload (after decodeReply stripped `|UP:`). */
export function parseAgentStatusReply(payload: string): Result<AgentStatus, ReplyError> {
  const f = statusFields(payload);
  if (!f.ok) return f;
  const [state, rolesText, master] = f.value;
  if (!isHostState(state)) return err(badReply(payload, `unknown state '${state}'`));
  const roles = parseRoleList(rolesText);
  if (!roles.ok) return err(badReply(payload, roles.error.message));
  return ok({ state, roles: roles.value, master });
}

/** What GET_SYSTEM_STATUS returns: what is really on the host, used by the monitor at start-up. */
export interface SystemStatus {
  /** read_only is off (wire: `1`, or empty). */
  readonly writable: boolean;
  /** Role IPs found on the interface, in the config's role order (not sorted). */
  readonly roles: readonly Role[];
  /** The replication source's IP (Master_Host), empty if none. */
  readonly masterIp: string;
}

/** `OK: Returning status!|<1 or empty>|<roles csv>|<master ip>`. */
export function systemStatusReply(s: SystemStatus): string {
  return `${REPLY_RETURNING_STATUS}|${s.writable ? '1' : ''}|${formatRoleList(s.roles)}|${s.masterIp}`;
}

/** Parses a GET_SYSTEM_STATUS reply payload; `0` is read as not writable too. */
export function parseSystemStatusReply(payload: string): Result<SystemStatus, ReplyError> {
  const f = statusFields(payload);
  if (!f.ok) return f;
  const [writableText, rolesText, masterIp] = f.value;
  if (writableText !== '1' && writableText !== '' && writableText !== '0') {
    return err(badReply(payload, `writable must be 1 or empty, got '${writableText}'`));
  }
  const roles = parseRoleList(rolesText);
  if (!roles.ok) return err(badReply(payload, roles.error.message));
  return ok({ writable: writableText === '1', roles: roles.value, masterIp });
}

const REMOVED_RE = /^OK: Removed (\d+) roles$/;

/** Parses a CLEAR_BAD_ROLES reply payload into the number of roles removed. */
export function parseRemovedRolesReply(payload: string): Result<number, ReplyError> {
  const m = REMOVED_RE.exec(payload);
  if (m?.[1] === undefined) return err(badReply(payload, 'not a CLEAR_BAD_ROLES reply'));
  return ok(Number(m[1]));
}
