// The version-1 wire format, MMM byte-exact: decode any line into a typed request or a typed error
// carrying MMM's reply text (total: never throws), encode requests, and frame replies with `|UP:`.
import { err, ok, type Result } from './result.js';
import type { DecodeError, ReplyError } from './errors.js';
import { invalidCommandReply } from './replies.js';
import {
  MMM_COMMANDS,
  formatRoleList,
  isHostState,
  parseRole,
  parseRoleList,
  type Request,
} from './types.js';

export interface DecodeOptions {
  /** Extension command names this side understands; other unknown names are `Invalid command`. */
  readonly extensions?: Iterable<string>;
}

const VERSION_RE = /^[0-9]+$/;

/** Decodes one request line (without its newline). Total: any string gives a value or a DecodeError. */
export function decodeRequest(line: string, opts: DecodeOptions = {}): Result<Request, DecodeError> {
  // Only reachable when the caller did not frame the input: a reply quoting it would break framing.
  if (line.includes('\n')) {
    return err({ code: 'PROTO_NEWLINE_IN_LINE', message: 'a request line must not contain a newline', reply: 'ERROR: Newline inside a command!' });
  }
  // MMM: split(/\|/, $cmd, -1), keeping empty fields; fewer than 3 fields quotes the whole line.
  const fields = line.split('|');
  const [command, version, host] = fields;
  if (command === undefined || version === undefined || host === undefined) {
    return err({
      code: 'PROTO_TOO_FEW_FIELDS',
      message: 'a request needs at least CMD|PROTO|HOST',
      reply: invalidCommandReply(line),
    });
  }
  const params = fields.slice(3);
  const fail = (code: DecodeError['code'], message: string, reply: string): Result<Request, DecodeError> =>
    err({ code, message, reply, host, command });
  // MMM compared the version numerically and died on a non-number; we refuse it instead.
  if (!VERSION_RE.test(version)) {
    return fail('PROTO_BAD_VERSION', `protocol version must be a number, got ${JSON.stringify(version)}`,
      `ERROR: Invalid protocol version '${version}'!`);
  }
  switch (command) {
    case 'PING':
    case 'GET_AGENT_STATUS':
    case 'GET_SYSTEM_STATUS':
    case 'CLEAR_BAD_ROLES':
      return ok({ kind: command, version, host });
    case 'SET_STATUS': {
      const [state, rolesText, master] = params;
      if (state === undefined || rolesText === undefined || master === undefined) {
        return fail('PROTO_MISSING_PARAMS', `SET_STATUS needs state, roles and master, got ${params.length} parameter(s)`,
          `ERROR: SET_STATUS needs 3 parameters (state, roles, master), got ${params.length}!`);
      }
      if (!isHostState(state)) {
        return fail('PROTO_BAD_STATE', `unknown host state ${JSON.stringify(state)}`, `ERROR: Invalid state '${state}'!`);
      }
      const roles = parseRoleList(rolesText);
      if (!roles.ok) return fail(roles.error.code, roles.error.message, roles.error.reply);
      return ok({ kind: 'SET_STATUS', version, host, state, roles: roles.value, master });
    }
    default:
      if (isExtension(opts.extensions, command)) {
        return ok({ kind: 'EXTENSION', command, version, host, params });
      }
      return fail('PROTO_UNKNOWN_COMMAND', `unknown command ${JSON.stringify(command)}`, invalidCommandReply(command));
  }
}

function isExtension(extensions: Iterable<string> | undefined, command: string): boolean {
  if (extensions === undefined) return false;
  if (extensions instanceof Set) return extensions.has(command);
  for (const e of extensions) if (e === command) return true;
  return false;
}

const MMM_COMMAND_SET: ReadonlySet<string> = new Set(MMM_COMMANDS);

function checkField(what: string, value: string): void {
  if (value.includes('|') || value.includes('\n')) {
    throw new RangeError(`encodeRequest: ${what} must not contain '|' or a newline: ${JSON.stringify(value)}`);
  }
}

/**
 * The wire line for a request, without the newline. A request that cannot be encoded so that it
 * decodes back to itself (a field with '|', a bad role or version) is a caller bug: RangeError.
 */
export function encodeRequest(req: Request): string {
  if (!VERSION_RE.test(req.version)) throw new RangeError(`encodeRequest: bad version ${JSON.stringify(req.version)}`);
  checkField('host', req.host);
  switch (req.kind) {
    case 'PING':
    case 'GET_AGENT_STATUS':
    case 'GET_SYSTEM_STATUS':
    case 'CLEAR_BAD_ROLES':
      return `${req.kind}|${req.version}|${req.host}`;
    case 'SET_STATUS': {
      checkField('master', req.master);
      for (const role of req.roles) {
        const back = parseRole(`${role.name}(${role.ip})`);
        if (!back.ok) throw new RangeError(`encodeRequest: ${back.error.message}`);
      }
      return `SET_STATUS|${req.version}|${req.host}|${req.state}|${formatRoleList(req.roles)}|${req.master}`;
    }
    case 'EXTENSION': {
      checkField('command', req.command);
      if (req.command === '' || MMM_COMMAND_SET.has(req.command)) {
        throw new RangeError(`encodeRequest: extension command ${JSON.stringify(req.command)} is empty or an MMM command`);
      }
      req.params.forEach((p, i) => checkField(`param ${i}`, p));
      return [req.command, req.version, req.host, ...req.params].join('|');
    }
  }
}

/** An agent reply line: `<payload>|UP:<seconds, 2 decimals>` as MMM prints /proc/uptime. */
export function encodeReply(payload: string, uptimeSeconds: number): string {
  const up = Number.isFinite(uptimeSeconds) && uptimeSeconds >= 0 ? uptimeSeconds : 0;
  return `${payload}|UP:${up.toFixed(2)}`;
}

export interface DecodedReply {
  /** The reply without `|UP:…`, e.g. `OK: Returning status!|ONLINE||db1`. */
  readonly payload: string;
  /** Agent uptime in seconds; null when the reply carried none (our framing errors, mmm_control). */
  readonly uptime: number | null;
  /** MMM's monitor test: the payload starts with `OK`. */
  readonly ok: boolean;
  /** The part before the first '|': `OK: Returning status!`. */
  readonly message: string;
  /** The '|'-separated fields after the message (empty fields kept). */
  readonly fields: string[];
}

const UPTIME_RE = /^[0-9]+(\.[0-9]+)?$/;
const UP_MARK = '|UP:';

/** Splits an agent reply line into payload, uptime and fields; total, never throws. */
export function decodeReply(line: string): Result<DecodedReply, ReplyError> {
  let payload = line;
  let uptime: number | null = null;
  const at = line.lastIndexOf(UP_MARK);
  if (at >= 0) {
    const upText = line.slice(at + UP_MARK.length);
    if (!UPTIME_RE.test(upText)) {
      return err({ code: 'PROTO_BAD_REPLY', message: `bad uptime ${JSON.stringify(upText.slice(0, 64))} in reply` });
    }
    uptime = Number(upText);
    payload = line.slice(0, at);
  }
  if (!payload.startsWith('OK:') && !payload.startsWith('ERROR:')) {
    return err({ code: 'PROTO_BAD_REPLY', message: `reply starts with neither OK: nor ERROR:: ${JSON.stringify(payload.slice(0, 64))}` });
  }
  const [message = '', ...fields] = payload.split('|');
  return ok({ payload, uptime, ok: payload.startsWith('OK'), message, fields });
}
