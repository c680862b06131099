// SHOW SLAVE/REPLICA STATUS columns differ by flavour and version; actions read one normalized shape.

export type IoThreadState = 'running' | 'connecting' | 'stopped';

export interface ReplicaStatus {
  readonly sourceHost: string;
  readonly sourcePort: number | null;
  readonly ioThread: IoThreadState;
  readonly sqlRunning: boolean;
  /** NULL on the server (SQL thread stopped, IO thread disconnected) stays null, never 0. */
  readonly secondsBehind: number | null;
  /** Source binlog file/pos the IO thread has read up to. */
  readonly sourceLogFile: string;
  readonly readSourceLogPos: number | null;
  /** Source binlog file/pos the SQL thread has applied up to. */
  readonly relaySourceLogFile: string;
  readonly execSourceLogPos: number | null;
  /** MariaDB `Using_Gtid` (No, Slave_Pos, Current_Pos); null on MySQL. */
  readonly usingGtid: string | null;
  /** MySQL `Auto_Position` as a boolean; null on MariaDB. */
  readonly autoPosition: boolean | null;
  /** MariaDB: the last GTID the IO thread received. */
  readonly gtidIoPos: string | null;
  /** MySQL: GTIDs received and executed. */
  readonly retrievedGtidSet: string | null;
  readonly executedGtidSet: string | null;
  readonly lastIoErrno: number;
  readonly lastIoError: string;
  readonly lastSqlErrno: number;
  readonly lastSqlError: string;
}

type Raw = Readonly<Record<string, unknown>>;

function pick(row: Raw, names: readonly string[]): unknown {
  for (const n of names) {
    if (Object.hasOwn(row, n)) return row[n];
  }
  return undefined;
}
function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}
function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}
function numOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function ioState(v: unknown): IoThreadState {
  const s = str(v);
  if (s === 'Yes') return 'running';
  // MariaDB shows 'Preparing' for a moment right after START SLAVE, before 'Connecting'.
  if (s === 'Connecting' || s === 'Preparing') return 'connecting';
  return 'stopped';
}

/** One row of SHOW SLAVE/REPLICA STATUS, old or new column names, into a ReplicaStatus. */
export function normalizeReplicaStatus(row: Raw): ReplicaStatus {
  const autoPos = pick(row, ['Auto_Position']);
  return {
    sourceHost: str(pick(row, ['Master_Host', 'Source_Host'])),
    sourcePort: numOrNull(pick(row, ['Master_Port', 'Source_Port'])),
    ioThread: ioState(pick(row, ['Slave_IO_Running', 'Replica_IO_Running'])),
    sqlRunning: str(pick(row, ['Slave_SQL_Running', 'Replica_SQL_Running'])) === 'Yes',
    secondsBehind: numOrNull(pick(row, ['Seconds_Behind_Master', 'Seconds_Behind_Source'])),
    sourceLogFile: str(pick(row, ['Master_Log_File', 'Source_Log_File'])),
    readSourceLogPos: numOrNull(pick(row, ['Read_Master_Log_Pos', 'Read_Source_Log_Pos'])),
    relaySourceLogFile: str(pick(row, ['Relay_Master_Log_File', 'Relay_Source_Log_File'])),
    execSourceLogPos: numOrNull(pick(row, ['Exec_Master_Log_Pos', 'Exec_Source_Log_Pos'])),
    usingGtid: strOrNull(pick(row, ['Using_Gtid'])),
    autoPosition: autoPos === undefined || autoPos === null ? null : str(autoPos) === '1',
    gtidIoPos: strOrNull(pick(row, ['Gtid_IO_Pos'])),
    retrievedGtidSet: strOrNull(pick(row, ['Retrieved_Gtid_Set'])),
    executedGtidSet: strOrNull(pick(row, ['Executed_Gtid_Set'])),
    lastIoErrno: numOrNull(pick(row, ['Last_IO_Errno'])) ?? 0,
    lastIoError: str(pick(row, ['Last_IO_Error'])),
    lastSqlErrno: numOrNull(pick(row, ['Last_SQL_Errno'])) ?? 0,
    lastSqlError: str(pick(row, ['Last_SQL_Error'])),
  };
}
