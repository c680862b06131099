// clear_ip: remove a role IP from the interface if present (no ARP: the new holder announces).
import { err, ok, type Logger, type Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { IpOps } from '../ip/ip-ops.js';
import { checkIpArgs } from './ip-args.js';

export interface ClearIpObserved {
  /** False when the address was already absent. */
  readonly removed: boolean;
  readonly present: false;
}

/** Deletes IP/32 from IF if present, then verifies it is gone. */
export async function clearIp(ipOps: IpOps, iface: string, ip: string, logger: Logger): Promise<Result<ClearIpObserved, AgentError>> {
  const args = checkIpArgs(iface, ip);
  if (!args.ok) return args;
  const before = await ipOps.list(iface);
  if (!before.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: before.error.message, cause: before.error });
  const removed = before.value.includes(ip);
  if (removed) {
    const r = await ipOps.del(iface, ip);
    if (!r.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: r.error.message, cause: r.error });
    const after = await ipOps.list(iface);
    if (!after.ok) return err({ code: 'AGENT_IP_COMMAND_FAILED', message: after.error.message, cause: after.error });
    if (after.value.includes(ip)) {
      return err({ code: 'AGENT_IP_UNVERIFIED', message: `${ip} was deleted from ${iface} but is still listed on it` });
    }
  }
  logger.info({ event: 'action.clear_ip', iface, ip, removed }, removed ? 'role IP removed' : 'role IP already absent');
  return ok({ removed, present: false });
}
