// A simulated MariaDB endpoint for the monitor scale benchmark, on mysql2's server-side protocol
// implementation: the handshake (any credentials accepted) and answers to exactly the statements the
// monitor's checks send — the flavour probe, `SELECT 1`, the death watch's `SELECT SLEEP()`,
// SHOW SLAVE/REPLICA STATUS (a healthy replica of `sourceIp`) and the applied GTID position.
import type { Server as NetServer, Socket } from 'node:net';
import mysql from 'mysql2';

interface ColumnDef {
  readonly catalog: string; readonly schema: string; readonly table: string; readonly orgTable: string;
  readonly name: string; readonly orgName: string; readonly characterSet: number; readonly columnLength: number;
  readonly columnType: number; readonly flags: number; readonly decimals: number;
}

/** The part of mysql2's server-side Connection used here (its typings omit most of it). */
interface ServerConn {
  serverHandshake(args: Record<string, unknown>): unknown;
  on(event: 'query', listener: (sql: string) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  writeColumns(columns: readonly ColumnDef[]): void;
  writeTextRow(values: readonly (string | null)[]): void;
  writeEof(): void;
  writeOk(): void;
  writeError(e: { code: number; message: string }): void;
  readonly stream: Socket;
  /** mysql2 keeps counting across commands on the server side; each command restarts at 0. */
  sequenceId: number;
}

const VAR_STRING = 0xfd;
const UTF8_GENERAL_CI = 33;
const column = (name: string): ColumnDef => ({
  catalog: 'def', schema: '', table: '', orgTable: '', name, orgName: name,
  characterSet: UTF8_GENERAL_CI, columnLength: 1024, columnType: VAR_STRING, flags: 0, decimals: 0,
});

export interface SimMysqlOptions {
  readonly ip: string;
  readonly port: number;
  readonly serverId: number;
  /** Master_Host of the simulated replication. */
  readonly sourceIp: string;
  readonly version?: string;
}

export interface SimMysql {
  /** Statements answered, by kind. */
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

let nextConnectionId = 1;

/** Starts one simulated server on ip:port; rejects if it cannot listen. */
export async function startSimMysql(o: SimMysqlOptions): Promise<SimMysql> {
  const version = o.version ?? '10.11.19-MariaDB-simulated';
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const count = (k: string): void => { counts.set(k, (counts.get(k) ?? 0) + 1); };
  const gtid = `0-1-${1000 + o.serverId}`;
  const replica: Record<string, string | null> = {
    Slave_IO_State: 'Waiting for master to send event', Master_Host: o.sourceIp, Master_User: 'repl', Master_Port: '3306',
    Master_Log_File: 'mysql-bin.000001', Read_Master_Log_Pos: '1234', Relay_Log_File: 'relay-bin.000002',
    Relay_Master_Log_File: 'mysql-bin.000001', Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes',
    Exec_Master_Log_Pos: '1234', Seconds_Behind_Master: '0', Last_IO_Errno: '0', Last_IO_Error: '',
    Last_SQL_Errno: '0', Last_SQL_Error: '', Master_Server_Id: '1', Using_Gtid: 'Slave_Pos', Gtid_IO_Pos: gtid,
  };
  const replicaCols = Object.keys(replica).map(column);
  const replicaRow = Object.values(replica);

  const rows = (c: ServerConn, names: readonly string[], values: readonly (string | null)[][]): void => {
    c.writeColumns(names.map(column));
    for (const v of values) c.writeTextRow(v);
    c.writeEof();
    c.sequenceId = 0;
  };

  const answer = (c: ServerConn, sql: string): void => {
    const q = sql.trim();
    if (/^SELECT 1\b/i.test(q)) { count('select1'); rows(c, ['ok'], [['1']]); return; }
    const sleep = /^SELECT SLEEP\(([0-9.]+)\)/i.exec(q);
    if (sleep !== null) {
      count('sleep');
      const cancel = (): void => clearTimeout(t);
      const t = setTimeout(() => {
        c.stream.off('close', cancel);
        if (!c.stream.destroyed) rows(c, ['s'], [['0']]);
      }, Number(sleep[1]) * 1000);
      c.stream.once('close', cancel);
      return;
    }
    if (/^SELECT VERSION\(\)/i.test(q)) { count('version'); rows(c, ['version', 'version_comment'], [[version, 'simulated MariaDB for mmm-ts bench']]); return; }
    if (/^SHOW (SLAVE|REPLICA) STATUS/i.test(q)) {
      count('replica_status');
      c.writeColumns(replicaCols);
      c.writeTextRow(replicaRow);
      c.writeEof();
      c.sequenceId = 0;
      return;
    }
    if (/@@(global\.)?gtid_(current_pos|executed|binlog_pos)/i.test(q)) { count('gtid'); rows(c, ['gtid'], [[gtid]]); return; }
    if (/@@(global\.)?read_only/i.test(q)) { count('read_only'); rows(c, ['ro'], [['1']]); return; }
    count('other');
    c.writeError({ code: 1064, message: `simulated server does not know: ${q.slice(0, 60)}` });
    c.sequenceId = 0;
  };

  const server = mysql.createServer((raw) => {
    const c = raw as unknown as ServerConn;
    sockets.add(c.stream);
    c.stream.once('close', () => sockets.delete(c.stream));
    c.stream.setNoDelay(true);
    c.on('error', () => { c.stream.destroy(); });
    c.serverHandshake({
      protocolVersion: 10, serverVersion: `5.5.5-${version}`, connectionId: nextConnectionId++,
      statusFlags: 2, characterSet: UTF8_GENERAL_CI, capabilityFlags: 0xffffff,
      // Any credentials are accepted; the reset lets the first command start at sequence 0.
      authCallback: (_info: unknown, done: (e: null) => void) => { done(null); c.sequenceId = 0; },
    });
    c.on('query', (sql) => answer(c, sql));
  });
  const net = (server as unknown as { _server: NetServer })._server;
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen({ host: o.ip, port: o.port, backlog: 128 }, () => { net.off('error', reject); resolve(); });
  });
  net.on('error', () => undefined);
  return {
    counts,
    close: () => new Promise<void>((resolve) => {
      net.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
