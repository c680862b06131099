// The vocabulary of the monitor ⇄ agent protocol: host states, roles and the typed requests, shared
// by the codec, the agent and the monitor so that a request is never handled as a raw string.
import { err, ok, type Result } from './result.js';
import type { DecodeError } from './errors.js';

export const HOST_STATES = [
  'ONLINE',
  'ADMIN_OFFLINE',
  'HARD_OFFLINE',
  'AWAITING_RECOVERY',
  'REPLICATION_DELAY',
  'REPLICATION_FAIL',
  'UNKNOWN',
] as const;
export type HostState = (typeof HOST_STATES)[number];

const STATE_SET: ReadonlySet<string> = new Set(HOST_STATES);

/** Narrows a wire string to a HostState (case-sensitive, as MMM). */
export function isHostState(s: string): s is HostState {
  return STATE_SET.has(s);
}

/** A role held by a host: its name and one of its IPs, written `name(ip)` on the wire. */
export interface Role {
  readonly name: string;
  readonly ip: string;
}

// Role names as MMM's config allows them; IPs limited to the characters of IPv4/IPv6 literals, so a
// role from the wire can never carry shell or SQL metacharacters. The agent still checks the role
// against its config.
const ROLE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ROLE_IP_RE = /^[0-9A-Fa-f:.]+$/;
const ROLE_RE = /^([^()]*)\(([^()]*)\)$/;

/** The wire form of a role, `name(ip)`: the key MMM diffs and sorts roles by. */
export function formatRole(role: Role): string {
  return `${role.name}(${role.ip})`;
}

function badRole(text: string): DecodeError {
  return {
    code: 'PROTO_BAD_ROLE',
    message: `invalid role ${JSON.stringify(text)}: expected name(ip)`,
    reply: `ERROR: Invalid role '${text}'!`,
  };
}

/** Parses one `name(ip)`; total, never throws. */
export function parseRole(text: string): Result<Role, DecodeError> {
  const m = ROLE_RE.exec(text);
  const name = m?.[1];
  const ip = m?.[2];
  if (name === undefined || ip === undefined || !ROLE_NAME_RE.test(name) || !ROLE_IP_RE.test(ip)) {
    return err(badRole(text));
  }
  return ok({ name, ip });
}

/** Parses MMM's comma list of roles; the empty string is no roles. Order is kept. */
export function parseRoleList(text: string): Result<Role[], DecodeError> {
  if (text === '') return ok([]);
  const roles: Role[] = [];
  for (const part of text.split(',')) {
    const r = parseRole(part);
    if (!r.ok) return r;
    roles.push(r.value);
  }
  return ok(roles);
}

/** The comma list of roles as sent on the wire (order kept; sort first with sortRoles for SET_STATUS). */
export function formatRoleList(roles: readonly Role[]): string {
  return roles.map(formatRole).join(',');
}

/** MMM sorts the roles it sends in SET_STATUS by their `name(ip)` string (Perl `sort`, byte order). */
export function sortRoles(roles: readonly Role[]): Role[] {
  return [...roles].sort((a, b) => {
    const x = formatRole(a);
    const y = formatRole(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Fields every request carries: the PROTO field as given (`'1'` today) and the target host name. */
interface RequestBase {
  readonly version: string;
  readonly host: string;
}

export interface PingRequest extends RequestBase {
  readonly kind: 'PING';
}
export interface SetStatusRequest extends RequestBase {
  readonly kind: 'SET_STATUS';
  readonly state: HostState;
  readonly roles: readonly Role[];
  /** Active master host name; empty when there is none. */
  readonly master: string;
}
export interface GetAgentStatusRequest extends RequestBase {
  readonly kind: 'GET_AGENT_STATUS';
}
export interface GetSystemStatusRequest extends RequestBase {
  readonly kind: 'GET_SYSTEM_STATUS';
}
export interface ClearBadRolesRequest extends RequestBase {
  readonly kind: 'CLEAR_BAD_ROLES';
}
/** A command that is not MMM's: decoded only when the caller lists its name (see docs/protocol.md). */
export interface ExtensionRequest extends RequestBase {
  readonly kind: 'EXTENSION';
  readonly command: string;
  readonly params: readonly string[];
}

export type Request =
  | PingRequest
  | SetStatusRequest
  | GetAgentStatusRequest
  | GetSystemStatusRequest
  | ClearBadRolesRequest
  | ExtensionRequest;

/** The same union under a name that does not shadow the global fetch `Request` in importing modules. */
export type AgentRequest = Request;

/** MMM's command names, case-sensitive. */
export const MMM_COMMANDS = ['PING', 'SET_STATUS', 'GET_AGENT_STATUS', 'GET_SYSTEM_STATUS', 'CLEAR_BAD_ROLES'] as const;
export type MmmCommand = (typeof MMM_COMMANDS)[number];

/** The protocol version we speak and send. */
export const PROTOCOL_VERSION = '1';
