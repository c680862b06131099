// Periodic re-assertion of held roles: address present, writer writable, ARP refreshed. Each drift
// repaired is logged (`agent.drift_repaired`). read_only=0 is re-asserted only while the monitor says
// this host holds the writer role (MMM's flaw 9: do not fight an operator blindly; we log it loudly).
import type { Logger, Result } from '@mmm-ts/protocol';
import type { AgentError } from './errors.js';
import type { IpOps } from './ip/ip-ops.js';
import type { OpenedDb } from './sql/open.js';
import type { RoleIp } from './discovery.js';
import { systemClock } from './clock.js';
import { checkIp } from './actions/check-ip.js';
import { configureIp } from './actions/configure-ip.js';
import { mysqlAllowWrite } from './actions/allow-write.js';

export interface ReassertOptions {
  readonly heldRoles: readonly RoleIp[];
  /** Whether the agent owns this role's IP (not when master_ip_failover_script moves the writer's) [all]. */
  readonly ipManaged?: (role: RoleIp) => boolean;
  /** active_master_role. */
  readonly writerRole: string;
  readonly iface: string;
  readonly ipOps: IpOps;
  readonly openLocal: () => Promise<Result<OpenedDb, AgentError>>;
  readonly logger: Logger;
}

export interface ReassertReport {
  /** One entry per drift repaired, e.g. `ip_missing(10.0.0.50)`, `read_only_on`. */
  readonly repaired: string[];
  readonly errors: AgentError[];
}

/** Re-applies held roles where they drifted; returns what it repaired and what failed. */
export async function reassertRoles(opts: ReassertOptions): Promise<ReassertReport> {
  const log = opts.logger;
  const repaired: string[] = [];
  const errors: AgentError[] = [];
  for (const role of opts.heldRoles) {
    if (opts.ipManaged !== undefined && !opts.ipManaged(role)) continue;
    const present = await checkIp(opts.ipOps, opts.iface, role.ip);
    if (!present.ok) { errors.push(present.error); continue; }
    if (present.value) {
      opts.ipOps.announce(opts.iface, role.ip);
      continue;
    }
    const r = await configureIp(opts.ipOps, opts.iface, role.ip, log);
    if (!r.ok) { errors.push(r.error); continue; }
    repaired.push(`ip_missing(${role.ip})`);
    log.warn({ event: 'agent.drift_repaired', drift: 'ip_missing', role: role.name, ip: role.ip }, 'role IP was missing; re-added');
  }
  if (opts.heldRoles.some((r) => r.name === opts.writerRole)) {
    const db = await opts.openLocal();
    if (!db.ok) errors.push(db.error);
    else {
      const w = await mysqlAllowWrite({ ...db.value, clock: systemClock, logger: log });
      await db.value.sql.close();
      if (!w.ok) errors.push(w.error);
      else if (w.value.changed) {
        repaired.push('read_only_on');
        log.warn({ event: 'agent.drift_repaired', drift: 'read_only_on', role: opts.writerRole },
          'read_only was on while this host holds the writer role; set it off (set the host offline with mmm-control to keep it read-only)');
      }
    }
  }
  return { repaired, errors };
}
