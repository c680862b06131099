// A fake cluster for preflight tests: a config, and SQL/agent fakes answering per host from plain data.
import { err, ok, type sendRequest } from '@mmm-ts/protocol';
import { parseConfig, type ClusterConfig } from '@mmm-ts/protocol/config';
import type { Row, Sql, SqlConnector, SqlError } from '@mmm-ts/protocol/mysql';

export function config(): ClusterConfig {
  const r = parseConfig(`
cluster: t
host_defaults: { agent_password: a, monitor_password: m, replication_password: r }
hosts:
  db1: { ip: 10.0.0.11, mode: master, peer: db2 }
  db2: { ip: 10.0.0.12, mode: master, peer: db1 }
  db3: { ip: 10.0.0.13, mode: slave }
roles:
  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.50] }
security: { secret: s }
`, '/tmp/t.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** What one fake server holds. */
export interface FakeServer {
  serverId: number;
  readOnly: boolean;
  strict?: boolean;
  logBin?: boolean;
  inc?: number;
  off?: number;
  own: string;
  applied?: string;
  /** SHOW SLAVE STATUS rows. */
  replicas: Row[];
  /** SHOW GRANTS per user. */
  grants: Record<string, string[]>;
  /** information_schema.USER_PRIVILEGES rows (visible only when the agent has SELECT on mysql.*). */
  privileges?: Array<{ g: string; p: string; y: 'YES' | 'NO' }>;
  down?: boolean;
}

const AGENT_GRANTS = ['GRANT READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, SLAVE MONITOR, BINLOG MONITOR, CONNECTION ADMIN, PROCESS ON *.* TO `mmm_agent`@`%` IDENTIFIED BY PASSWORD \'*X\''];

export function replica(ip: string, extra: Row = {}): Row {
  return { Master_Host: ip, Master_Port: 3306, Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Seconds_Behind_Master: 0, Using_Gtid: 'Slave_Pos', Last_IO_Error: '', Last_SQL_Error: '', ...extra };
}

/** A healthy three-host cluster: db1 the writer, db2 its peer, db3 replicating from db1. */
export function healthy(): Record<string, FakeServer> {
  const base = (id: number, ro: boolean, off: number, src: string): FakeServer => ({
    serverId: id, readOnly: ro, inc: 2, off, own: '0-1-100', replicas: [replica(src)],
    grants: { mmm_agent: [...AGENT_GRANTS], mmm_monitor: ['GRANT BINLOG MONITOR, SLAVE MONITOR ON *.* TO `mmm_monitor`@`%`'], repl: ['GRANT REPLICATION SLAVE ON *.* TO `repl`@`%`'] },
  });
  return { '10.0.0.11': base(1, false, 1, '10.0.0.12'), '10.0.0.12': base(2, true, 2, '10.0.0.11'), '10.0.0.13': base(3, true, 1, '10.0.0.11') };
}

const sqlErr = (code: SqlError['code'], message: string, errno?: number): SqlError => (errno === undefined ? { code, message } : { code, message, errno });

/** A connector over fake servers keyed by IP. */
export function fakeConnect(servers: Record<string, FakeServer>): SqlConnector {
  return (ep) => {
    const s = servers[ep.host];
    if (s === undefined || s.down === true) return Promise.resolve(err(sqlErr('SQL_CONNECT_REFUSED', `MySQL at ${ep.host}:3306 refused the connection`)));
    const grants = s.grants[ep.user];
    if (grants === undefined) return Promise.resolve(err(sqlErr('SQL_CONNECT_FAILED', `Access denied for user '${ep.user}'`, 1045)));
    const user = ep.user;
    const sql: Sql = {
      threadId: 1,
      close: () => Promise.resolve(),
      query: (text) => {
        let rows: Row[];
        if (text.startsWith('SELECT VERSION()')) rows = [{ version: '10.11.6-MariaDB-0+deb12u1-log', version_comment: 'Debian 12' }];
        else if (text.startsWith('SELECT @@server_id')) {
          rows = [{ server_id: s.serverId, log_bin: s.logBin === false ? 0 : 1, read_only: s.readOnly ? 1 : 0, inc: s.inc ?? 1, off: s.off ?? 1,
            lsu: 1, strict: s.strict === false ? 0 : 1, own: s.own, applied: s.applied ?? s.own }];
        } else if (text.startsWith('SHOW REPLICA STATUS')) rows = s.replicas;
        else if (text === 'SHOW GRANTS') rows = (s.grants[user] ?? []).map((g) => ({ [`Grants for ${user}@%`]: g }));
        else if (text.includes('USER_PRIVILEGES')) rows = (s.privileges ?? []).map((p) => ({ ...p }));
        else return Promise.resolve(err(sqlErr('SQL_SERVER_ERROR', `unexpected statement ${text}`)));
        return Promise.resolve(ok(rows));
      },
    };
    return Promise.resolve(ok(sql));
  };
}

/** An agent transport: listed IPs answer PING, others refuse; `wrongSecret` IPs fail authentication. */
export function fakeAgents(up: readonly string[], wrongSecret: readonly string[] = []): typeof sendRequest {
  return (opts) => {
    if (wrongSecret.includes(opts.host)) return Promise.resolve(err({ code: 'AUTH_FAILED', message: 'the agent refused our authentication', cause: 'AUTH_REJECTED' }));
    if (!up.includes(opts.host)) return Promise.resolve(err({ code: 'CONNECT_REFUSED', message: 'connect error: ECONNREFUSED', cause: 'ECONNREFUSED' }));
    return Promise.resolve(ok('OK: Pinged!|UP:12.00'));
  };
}
