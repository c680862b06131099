// Preflight's only I/O: PING every agent and read every server as the agent, monitor and replication
// accounts. Every step is bounded by the timeout; a failure is recorded, never thrown.
import { decodeReply, encodeRequest, err, ok, PROTOCOL_VERSION, type Result, type sendRequest } from '@mmm-ts/protocol';
import type { ClusterConfig, HostConfig } from '@mmm-ts/protocol/config';
import {
  cellText, dialectFor, normalizeReplicaStatus, parseServerFlavor, PROBE_SQL,
  type Row, type ServerFlavor, type Sql, type SqlConnector, type SqlError,
} from '@mmm-ts/protocol/mysql';
import { bypassPrivileges, canReadAllGrants, parseGrants } from './grants.js';
import type { AccountGrants, AgentPing, HostFacts, HostObservation, ServerVars } from './types.js';

export interface GatherOptions {
  readonly connect: SqlConnector;
  readonly sendAgent: typeof sendRequest;
  readonly timeoutMs: number;
}

/** PINGs the host's agent with the cluster secret (null: MMM v1 compatibility, unauthenticated). */
async function pingAgent(cfg: ClusterConfig, h: HostConfig, o: GatherOptions): Promise<AgentPing> {
  const line = encodeRequest({ kind: 'PING', version: PROTOCOL_VERSION, host: h.name });
  const r = await o.sendAgent({ host: h.ip, port: h.agentPort, secret: cfg.security.secret, connectTimeoutMs: o.timeoutMs, readTimeoutMs: o.timeoutMs }, line);
  if (!r.ok) return { ok: false, error: r.error };
  const d = decodeReply(r.value);
  return { ok: true, payload: d.ok ? d.value.payload : r.value };
}

const num = (v: unknown): number => Number(cellText(v));
const on = (v: unknown): boolean => ['1', 'ON'].includes(cellText(v).toUpperCase());

/** A statement that failed, and what preflight was doing. */
interface Stopped {
  readonly error: SqlError;
  readonly stage: string;
}

async function rows(sql: Sql, text: string, stage: string, timeoutMs: number): Promise<Result<Row[], Stopped>> {
  const r = await sql.query(text, [], timeoutMs);
  return r.ok ? r : err({ error: r.error, stage });
}

async function readVars(sql: Sql, f: ServerFlavor, t: number): Promise<Result<ServerVars, Stopped>> {
  const maria = f.kind === 'mariadb';
  const cols = [
    '@@server_id AS server_id', '@@log_bin AS log_bin', '@@read_only AS read_only',
    '@@auto_increment_increment AS inc', '@@auto_increment_offset AS off',
    ...(maria
      ? ['@@log_slave_updates AS lsu', '@@gtid_strict_mode AS strict', '@@gtid_binlog_state AS own', '@@gtid_current_pos AS applied']
      : ['@@log_replica_updates AS lsu', '@@gtid_mode AS gtid_mode', '@@enforce_gtid_consistency AS enforce', '@@gtid_executed AS own', '@@gtid_executed AS applied']),
  ];
  const mysqlOld = !maria && !(f.major > 8 || (f.major === 8 && (f.minor > 0 || f.patch >= 26)));
  const text = `SELECT ${cols.join(', ')}`.replace('@@log_replica_updates', mysqlOld ? '@@log_slave_updates' : '@@log_replica_updates');
  const r = await rows(sql, text, 'reading server variables', t);
  if (!r.ok) return r;
  const row = r.value[0] ?? {};
  return ok({
    serverId: num(row['server_id']),
    logBin: on(row['log_bin']),
    logReplicaUpdates: on(row['lsu']),
    readOnly: on(row['read_only']),
    autoIncrementIncrement: num(row['inc']),
    autoIncrementOffset: num(row['off']),
    gtidStrictMode: maria ? on(row['strict']) : null,
    gtidModeOn: maria ? null : cellText(row['gtid_mode']).toUpperCase() === 'ON' && on(row['enforce']),
    gtidOwn: cellText(row['own']),
    gtidApplied: cellText(row['applied']),
  });
}

async function ownGrants(sql: Sql, t: number): Promise<AccountGrants> {
  const r = await sql.query('SHOW GRANTS', [], t);
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, grants: parseGrants(r.value.map((row) => cellText(Object.values(row)[0]))) };
}

/** Logs in as another account just to read its own grants (this also proves its password). */
async function grantsAs(o: GatherOptions, h: HostConfig, user: string, password: string): Promise<AccountGrants> {
  const c = await o.connect({ host: h.ip, port: h.mysqlPort, user, password }, o.timeoutMs);
  if (!c.ok) return { ok: false, error: c.error };
  try {
    return await ownGrants(c.value, o.timeoutMs);
  } finally {
    await c.value.close();
  }
}

/** Holders of read_only bypass privileges; null when the agent account may not read them. */
async function readPrivileged(sql: Sql, f: ServerFlavor, t: number): Promise<HostFacts['privileged']> {
  const list = bypassPrivileges(f).map((p) => `'${p}'`).join(', ');
  const r = await sql.query(`SELECT GRANTEE AS g, PRIVILEGE_TYPE AS p, IS_GRANTABLE AS y FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN (${list})`, [], t);
  if (!r.ok) return null;
  const out = r.value.map((row) => ({ grantee: cellText(row['g']), privilege: cellText(row['p']), grantable: cellText(row['y']) === 'YES' }));
  if (f.kind === 'mysql') {
    // Dynamic privileges (CONNECTION_ADMIN) live in mysql.global_grants, not in USER_PRIVILEGES.
    const dyn = await sql.query("SELECT CONCAT(\"'\", USER, \"'@'\", HOST, \"'\") AS g, PRIV AS p, WITH_GRANT_OPTION AS y FROM mysql.global_grants WHERE PRIV = 'CONNECTION_ADMIN'", [], t);
    if (!dyn.ok) return null;
    for (const row of dyn.value) out.push({ grantee: cellText(row['g']), privilege: cellText(row['p']), grantable: cellText(row['y']) === 'Y' });
  }
  return out;
}

async function readFacts(sql: Sql, o: GatherOptions, h: HostConfig): Promise<Result<HostFacts, Stopped>> {
  const t = o.timeoutMs;
  const probe = await rows(sql, PROBE_SQL, 'probing the server version', t);
  if (!probe.ok) return probe;
  const version = cellText(probe.value[0]?.['version']);
  const flavor = parseServerFlavor(version, cellText(probe.value[0]?.['version_comment']));
  if (flavor === null) return err({ error: { code: 'SQL_SERVER_ERROR', message: `unrecognised server version ${JSON.stringify(version)}` }, stage: 'probing the server version' });
  const vars = await readVars(sql, flavor, t);
  if (!vars.ok) return vars;
  const status = await rows(sql, dialectFor(flavor).showReplicaStatus, 'reading replica status', t);
  if (!status.ok) return status;
  const agentGrants = await ownGrants(sql, t);
  const privileged = agentGrants.ok && canReadAllGrants(agentGrants.grants) ? await readPrivileged(sql, flavor, t) : null;
  const [monitorGrants, replicationGrants] = await Promise.all([
    grantsAs(o, h, h.monitorUser, h.monitorPassword),
    grantsAs(o, h, h.replicationUser, h.replicationPassword),
  ]);
  return ok({ flavor, vars: vars.value, replicas: status.value.map(normalizeReplicaStatus), agentGrants, monitorGrants, replicationGrants, privileged });
}

async function observeMysql(o: GatherOptions, h: HostConfig): Promise<HostObservation['mysql']> {
  const c = await o.connect({ host: h.ip, port: h.mysqlPort, user: h.agentUser, password: h.agentPassword }, o.timeoutMs);
  if (!c.ok) return { ok: false, error: c.error, stage: `connecting as ${h.agentUser}` };
  try {
    const r = await readFacts(c.value, o, h);
    return r.ok ? { ok: true, facts: r.value } : { ok: false, error: r.error.error, stage: r.error.stage };
  } finally {
    await c.value.close();
  }
}

/** Observes every host concurrently. */
export function gatherAll(cfg: ClusterConfig, o: GatherOptions): Promise<HostObservation[]> {
  return Promise.all(cfg.hostNames.map(async (name): Promise<HostObservation> => {
    const h = cfg.hosts[name];
    if (h === undefined) throw new Error(`host ${name} listed but not configured`);
    const [agent, mysql] = await Promise.all([pingAgent(cfg, h, o), observeMysql(o, h)]);
    return { name, agent, mysql };
  }));
}
