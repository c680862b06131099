// Self-fencing of a writer whose lease ran out: the writer IPs leave the interface and read_only is
// set, both at once and each bounded, so a hung or dead mysqld cannot delay the address removal and
// the whole step ends within about `boundMs`. Sessions are ended with at most ~0.5 s of grace.
import type { Logger, Result } from '@mmm-ts/protocol';
import type { AgentError } from '../errors.js';
import type { IpOps } from '../ip/ip-ops.js';
import { clearIp } from '../actions/clear-ip.js';
import type { DenyWriteObserved } from '../actions/deny-write.js';

export interface FenceOptions {
  readonly ipOps: IpOps;
  readonly iface: string;
  /** Runs mysql_deny_write in emergency mode (short grace and statement bounds). */
  readonly denyWrite: () => Promise<Result<DenyWriteObserved, AgentError>>;
  readonly logger: Logger;
  /** Bound on waiting for read_only [1500]. */
  readonly boundMs?: number;
}

export interface FenceOutcome {
  /** Writer IPs still on the interface after the attempt (to retry). */
  readonly ipsLeft: readonly string[];
  readonly readOnly: 'set' | 'failed' | 'timed_out';
  readonly errors: readonly string[];
}

/** Clears `ips` and denies writes concurrently; never throws. */
export async function fenceWriter(o: FenceOptions, ips: readonly string[]): Promise<FenceOutcome> {
  const bound = o.boundMs ?? 1_500;
  const errors: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timed_out'>((resolve) => { timer = setTimeout(() => resolve('timed_out'), bound); });
  const deny = o.denyWrite().then(
    (r) => { if (!r.ok) errors.push(`mysql_deny_write: ${r.error.message}`); return r.ok ? 'set' as const : 'failed' as const; },
    (e: unknown) => { errors.push(`mysql_deny_write: ${String(e)}`); return 'failed' as const; },
  );
  const clears = Promise.all(ips.map(async (ip) => {
    const c = await clearIp(o.ipOps, o.iface, ip, o.logger);
    if (c.ok) return null;
    errors.push(`clear_ip ${ip}: ${c.error.message}`);
    return ip;
  }));
  const [left, readOnly] = await Promise.all([clears, Promise.race([deny, late])]);
  clearTimeout(timer);
  if (readOnly === 'timed_out') errors.push(`mysql_deny_write: no answer within ${bound} ms (continues in the background)`);
  return { ipsLeft: left.filter((x): x is string => x !== null), readOnly, errors };
}
