// Validation of role IPs and interface names before they reach a command line.
import { isIPv4 } from 'node:net';
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';

const IFACE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/;

/** Checks an IPv4 address and an interface name (no leading '-', at most 15 characters). */
export function checkIpArgs(iface: string, ip: string): Result<void, AgentError> {
  if (!isIPv4(ip)) return err({ code: 'AGENT_BAD_IP', message: `not an IPv4 address: ${JSON.stringify(ip)}` });
  if (!IFACE_RE.test(iface)) return err({ code: 'AGENT_BAD_INTERFACE', message: `not an interface name: ${JSON.stringify(iface)}` });
  return ok(undefined);
}
