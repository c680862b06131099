// check_ip: whether a role IP is on the interface (for start-up discovery and periodic checks).
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { IpOps } from '../ip/ip-ops.js';
import { checkIpArgs } from './ip-args.js';

/** True when IP is configured on IF. */
export async function checkIp(ipOps: IpOps, iface: string, ip: string): Promise<Result<boolean, AgentError>> {
  const args = checkIpArgs(iface, ip);
  if (!args.ok) return args;
  const r = await ipOps.list(iface);
  if (!r.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: r.error.message, cause: r.error });
  return ok(r.value.includes(ip));
}
