// An Agent on fakes: a parsed three-host config, an in-memory interface, a scripted local mysqld,
// a virtual monotonic clock and scripted peers, for the lease, failsafe and extension tests.
import assert from 'node:assert/strict';
import { err, ok, silentLogger, type Result } from '@mmm-ts/protocol';
import { parseConfig } from '@mmm-ts/protocol/config';
import type { MysqlEndpoint, SqlError } from '@mmm-ts/protocol/mysql';
import { PROBE_SQL } from '@mmm-ts/protocol/mysql';
import { Agent } from '../../src/server/agent.js';
import { LocalDb } from '../../src/server/local-db.js';
import { createRuntime } from '../../src/server/runtime.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { createFakeIpOps, type FakeIpOps } from '../../src/testing/fake-ip-ops.js';
import { createFakeSql, type FakeHandler } from '../../src/testing/fake-sql.js';
import type { PeerSend } from '../../src/safety/failsafe.js';

export const VIP = '10.0.0.50';

export function clusterYaml(fencing: string): string {
  return [
    'cluster: t',
    'host_defaults: { agent_password: a, monitor_password: m, replication_password: r }',
    'hosts:',
    '  db1: { ip: 10.0.0.11, mode: master, peer: db2 }',
    '  db2: { ip: 10.0.0.12, mode: master, peer: db1 }',
    '  db3: { ip: 10.0.0.13, mode: slave }',
    'roles:',
    `  writer: { mode: exclusive, hosts: [db1, db2], ips: [${VIP}] }`,
    'security: { secret: k }',
    fencing,
  ].join('\n');
}

export interface Rigged {
  readonly agent: Agent;
  readonly ipOps: FakeIpOps;
  /** Statements the local mysqld received. */
  readonly statements: string[];
  /** Advance the virtual monotonic clock. */
  advance(ms: number): void;
  /** What the peers answer (replace per test). */
  peer: (host: string, line: string) => Result<string, { code: string; message: string }>;
  /** Whether the local mysqld accepts connections. */
  mysqlUp: boolean;
  /** Lines sent to peers. */
  readonly peerLines: string[];
  /** Connects to other hosts' mysqld: endpoint host → error (absent: ok). */
  readonly remote: Map<string, SqlError>;
  /** This host's SHOW SLAVE STATUS row (undefined: not a replica). */
  replicaRow: Record<string, unknown> | undefined;
}

/** db1's agent (or `host`'s), holding the writer VIP on eth0 when `withVip`. */
export async function rigAgent(opts: { fencing?: string; host?: string; withVip?: boolean } = {}): Promise<Rigged> {
  const parsed = parseConfig(clusterYaml(opts.fencing ?? 'fencing: { writer_lease: 1s }'), 't.yaml');
  if (!parsed.ok) assert.fail(JSON.stringify(parsed.error));
  const cfg = parsed.value;
  const host = cfg.hosts[opts.host ?? 'db1'] ?? assert.fail('no host');
  let t = 1_000;
  const statements: string[] = [];
  const peerLines: string[] = [];
  const ipOps = createFakeIpOps({ eth0: [host.ip, ...(opts.withVip === false ? [] : [VIP])] });
  const state: Rigged = {
    agent: undefined as unknown as Agent,
    ipOps, statements, peerLines, remote: new Map(), mysqlUp: true, replicaRow: undefined,
    advance: (ms) => { t += ms; },
    peer: () => err({ code: 'CONNECT_TIMEOUT', message: 'no connection within 200 ms' }),
  };
  const handler: FakeHandler = (sql) => {
    statements.push(sql);
    if (sql === PROBE_SQL) return [{ version: '10.11.6-MariaDB', version_comment: 'mariadb.org binary distribution' }];
    if (sql.startsWith('SELECT @@global.read_only')) return [{ read_only: statements.some((s) => s.includes('read_only=1')) ? 1 : 0, super_read_only: null }];
    if (sql === 'SHOW REPLICA STATUS' || sql === 'SHOW SLAVE STATUS') return state.replicaRow === undefined ? [] : [state.replicaRow];
    return undefined;
  };
  const connect = (ep: MysqlEndpoint): Promise<Result<ReturnType<typeof createFakeSql>, SqlError>> => {
    const local = ep.host === '127.0.0.1';
    if (local && !state.mysqlUp) return Promise.resolve(err({ code: 'SQL_CONNECT_REFUSED', message: 'refused', cause: 'ECONNREFUSED' }));
    const remoteErr = local ? undefined : state.remote.get(ep.host);
    if (remoteErr !== undefined) return Promise.resolve(err(remoteErr));
    return Promise.resolve(ok(createFakeSql(local ? handler : () => [{ one: 1 }], 7)));
  };
  const clock = createFakeClock();
  const db = new LocalDb({ endpoint: { host: '127.0.0.1', port: 3306, user: 'mmm_agent', password: 'a' }, connect, connectTimeoutMs: 100, queryTimeoutMs: 100, clock, logger: silentLogger });
  const rt = createRuntime({ cfg, host, db, ipOps, connect, logger: silentLogger });
  const send: PeerSend = (h, line) => { peerLines.push(line); return Promise.resolve(state.peer(h, line)); };
  const agent = new Agent(rt, () => Promise.resolve(12.5), { now: () => t, send });
  (state as { agent: Agent }).agent = agent;
  await agent.adoptExistingRoles();
  return state;
}

/** Sends one line and returns the reply payload (without `|UP:`). */
export async function ask(r: Rigged, line: string): Promise<string> {
  return (await r.agent.handle(line)).replace(/\|UP:[0-9.]+$/, '');
}

/** A PEER_STATUS reply as a peer agent would frame it; `denies` null: an older agent's 3 fields. */
export function peerReply(sinceMs: number | null, denies: boolean | null = false, state = 'ONLINE'): Result<string, { code: string; message: string }> {
  const tail = denies === null ? '' : `|${denies ? '1' : ''}`;
  return ok(`OK: Returning status!|${sinceMs ?? ''}|${state}${tail}|UP:10.00`);
}
