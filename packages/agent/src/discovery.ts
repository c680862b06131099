// Start-up discovery (GET_SYSTEM_STATUS, and adopting role IPs already on the interface after an
// agent restart: MMM's flaw 10). Answers with what it can tell while MySQL is down.
import type { Logger, Result } from '@mmm-ts/protocol';
import type { AgentError } from './errors.js';
import type { IpOps } from './ip/ip-ops.js';
import type { OpenedDb } from './sql/open.js';
import { systemClock } from './clock.js';
import { readReadOnly } from './actions/read-only.js';
import { readReplicaStatus } from './actions/replica.js';

/** A configured role IP (same shape as the protocol's Role). */
export interface RoleIp {
  readonly name: string;
  readonly ip: string;
}

export interface SystemStatus {
  /** null when MySQL could not be asked. */
  readonly writable: boolean | null;
  /** Configured role IPs found on the interface, in the config's role order. */
  readonly roleIpsOnInterface: RoleIp[];
  /** The master this server replicates from ('' for none or unknown). */
  readonly replicationSource: string;
}

export interface DiscoverOptions {
  readonly openLocal: () => Promise<Result<OpenedDb, AgentError>>;
  readonly ipOps: IpOps;
  readonly iface: string;
  /** Every role IP in the config, in config order. */
  readonly configuredRoles: readonly RoleIp[];
  readonly logger: Logger;
}

/** Reads writability, replication source and which role IPs are on the interface. */
export async function discoverSystemStatus(opts: DiscoverOptions): Promise<SystemStatus> {
  let writable: boolean | null = null;
  let replicationSource = '';
  const db = await opts.openLocal();
  if (db.ok) {
    const env = { ...db.value, clock: systemClock, logger: opts.logger };
    const ro = await readReadOnly(env);
    if (ro.ok) writable = !ro.value.readOnly && ro.value.superReadOnly !== true;
    const st = await readReplicaStatus(env);
    if (st.ok) replicationSource = st.value?.sourceHost ?? '';
    await db.value.sql.close();
  } else {
    opts.logger.warn({ event: 'agent.discovery', err: db.error }, 'MySQL not reachable during discovery');
  }
  let roleIpsOnInterface: RoleIp[] = [];
  const ips = await opts.ipOps.list(opts.iface);
  if (ips.ok) roleIpsOnInterface = opts.configuredRoles.filter((r) => ips.value.includes(r.ip));
  else opts.logger.warn({ event: 'agent.discovery', err: ips.error }, 'cannot list interface addresses');
  const status = { writable, roleIpsOnInterface, replicationSource };
  opts.logger.info({ event: 'agent.discovery', ...status }, 'system status discovered');
  return status;
}
