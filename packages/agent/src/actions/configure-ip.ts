// configure_ip: put a role IP on the interface if absent, then announce it with gratuitous ARP
// (started, never awaited) so clients move to this host within milliseconds instead of ~30 s.
import { err, ok, type Logger, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { IpOps } from '../ip/ip-ops.js';
import { checkIpArgs } from './ip-args.js';

export interface ConfigureIpObserved {
  /** False when the address was already there (then only the ARP announcement is repeated). */
  readonly added: boolean;
  readonly present: true;
}

/** Adds IP/32 on IF if absent, verifies it is listed, and starts the gratuitous ARP. */
export async function configureIp(ipOps: IpOps, iface: string, ip: string, logger: Logger): Promise<Result<ConfigureIpObserved, AgentError>> {
  const args = checkIpArgs(iface, ip);
  if (!args.ok) return args;
  // Add first and list after: on the hot path of a failover the address is live after one command
  // instead of two. An address already present makes `ip addr add` fail; the listing settles it.
  const r = await ipOps.add(iface, ip);
  const after = await ipOps.list(iface);
  if (!after.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: after.error.message, cause: after.error });
  if (!after.value.includes(ip)) {
    if (!r.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: r.error.message, cause: r.error });
    return err({ code: 'AGENT_IP_UNVERIFIED', message: `${ip} was added to ${iface} but is not listed on it` });
  }
  const added = r.ok;
  ipOps.announce(iface, ip);
  logger.info({ event: 'action.configure_ip', iface, ip, added }, added ? 'role IP added' : 'role IP already present');
  return ok({ added, present: true });
}
