// CHECK_HOST, the agents' second opinion on a writer (MHA's secondary check without SSH): can this
// host open a MySQL session on the target, and does its own IO thread still receive from it? Bounded:
// a 500 ms connect and 1 s in total, so a monitor asking every agent waits about a second at most.
import type { Result } from '@mmm-ts/protocol';
import type { MysqlEndpoint, ReplicaStatus, SqlConnector, SqlError } from '@mmm-ts/protocol/mysql';
import type { AgentError } from '../errors.js';
import type { HostCheck, MysqlReach, ReplicationFromTarget } from './wire.js';

export interface CheckHostOptions {
  /** The target's agent-user endpoint. */
  readonly endpoint: MysqlEndpoint;
  /** Names the target is known by in Master_Host (its IP and its name). */
  readonly targetAliases: readonly string[];
  readonly connect: SqlConnector;
  /** This host's own SHOW SLAVE STATUS (null: not a replica). */
  readonly readOwnReplica: () => Promise<Result<ReplicaStatus | null, AgentError>>;
  readonly connectTimeoutMs?: number;
  readonly totalTimeoutMs?: number;
}

const UNREACHABLE_CAUSES: ReadonlySet<string> = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

/** Maps a connect/query failure to the wire's reachability word. */
export function classifySqlFailure(e: SqlError): MysqlReach {
  if (e.code === 'SQL_CONNECT_REFUSED') return 'refused';
  if (e.code === 'SQL_CONNECT_TIMEOUT' || e.code === 'SQL_QUERY_TIMEOUT') return 'timeout';
  // No route (ARP failed): the network does not deliver, which is what a timeout means here.
  if (e.cause !== undefined && UNREACHABLE_CAUSES.has(e.cause)) return 'timeout';
  return 'error';
}

function withDeadline<T>(p: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(late), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function probeMysql(o: CheckHostOptions, connectMs: number, totalMs: number): Promise<{ mysql: MysqlReach; detail: string }> {
  const started = Date.now();
  const c = await o.connect(o.endpoint, connectMs);
  if (!c.ok) return { mysql: classifySqlFailure(c.error), detail: c.error.message };
  try {
    const q = await c.value.query('SELECT 1 AS one', [], Math.max(50, totalMs - (Date.now() - started)));
    if (!q.ok) return { mysql: classifySqlFailure(q.error), detail: q.error.message };
    return { mysql: 'ok', detail: `connected to ${o.endpoint.host}:${o.endpoint.port} in ${Date.now() - started} ms` };
  } finally {
    await c.value.close();
  }
}

async function ownReplication(o: CheckHostOptions): Promise<{ replication: ReplicationFromTarget; detail: string }> {
  const r = await o.readOwnReplica();
  if (!r.ok) return { replication: 'not_replicating_from_target', detail: `own replication status unknown: ${r.error.message}` };
  const s = r.value;
  if (s === null) return { replication: 'not_replicating_from_target', detail: 'not a replica' };
  if (!o.targetAliases.includes(s.sourceHost)) return { replication: 'not_replicating_from_target', detail: `replicates from ${s.sourceHost}` };
  const replication: ReplicationFromTarget = s.ioThread === 'running' ? 'io_running' : s.ioThread === 'connecting' ? 'io_connecting' : 'io_stopped';
  return { replication, detail: s.lastIoError === '' ? `io ${s.ioThread}` : `io ${s.ioThread}: ${s.lastIoError}` };
}

/** Runs both probes concurrently; never throws, answers within about totalTimeoutMs. */
export async function checkHost(o: CheckHostOptions): Promise<HostCheck> {
  const connectMs = o.connectTimeoutMs ?? 500;
  const totalMs = o.totalTimeoutMs ?? 1_000;
  const [m, r] = await Promise.all([
    withDeadline(probeMysql(o, connectMs, totalMs), totalMs, { mysql: 'timeout' as const, detail: `no answer within ${totalMs} ms` }),
    withDeadline(ownReplication(o), totalMs, { replication: 'not_replicating_from_target' as const, detail: `own replication status not read within ${totalMs} ms` }),
  ]);
  return { mysql: m.mysql, replication: r.replication, detail: `mysql: ${m.detail}; replication: ${r.detail}` };
}
