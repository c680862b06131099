// The public shapes of the test rig: what a test asks for (RigOptions) and what it gets (Rig, RigHost).
import type { Result } from '@mmm-ts/protocol';

/** What to build. Addressing follows docs/architecture.md: 10.200.<subnet>.0/24, names start with `prefix`. */
export interface RigOptions {
  /** 1–5 characters of [a-z0-9]; names the namespaces `<prefix>-db1`, the bridge `<prefix>br`. */
  readonly prefix: string;
  /** N of 10.200.N.0/24 (0–255); see the allocation table in docs/architecture.md. */
  readonly subnet: number;
  /** Number of DB hosts, 2–20 [3]: db1 and db2 are masters of each other, db3… replicate from db1. */
  readonly hosts?: number;
  /** Where datadirs, sockets, logs and rig.json live [/dev/shm/mmm-rig-<prefix>, or /tmp/… without /dev/shm]. */
  readonly baseDir?: string;
  /** Progress lines (one per step, with timings) [silent]. */
  readonly log?: (msg: string) => void;
  /**
   * Tear everything down when this process exits, throws or gets SIGINT/SIGTERM [true].
   * The CLI's `up` sets it false so the rig outlives the command.
   */
  readonly cleanupOnExit?: boolean;
}

/** A user name and password baked into the rig's template datadir. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** The MariaDB accounts every rig host has (identical on all hosts). */
export interface RigUsers {
  /** Everything, WITH GRANT OPTION, from anywhere: the rig's own SQL. */
  readonly admin: Credentials;
  /** READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, SLAVE MONITOR, BINLOG MONITOR, CONNECTION ADMIN, PROCESS. */
  readonly agent: Credentials;
  /** REPLICATION CLIENT (= BINLOG MONITOR) and SLAVE MONITOR. */
  readonly monitor: Credentials;
  /** REPLICATION SLAVE. */
  readonly replication: Credentials;
  /** ALL on `app`.* only: read_only fences it. */
  readonly app: Credentials;
}

/** One DB host: a network namespace running one mariadbd. */
export interface RigHost {
  readonly name: string;
  readonly ip: string;
  /** Network namespace name, `<prefix>-<name>`. */
  readonly ns: string;
  /** Root-namespace end of the host's veth pair (attached to the bridge). */
  readonly veth: string;
  readonly mode: 'master' | 'slave';
  /** The other master for db1/db2, null for replicas. */
  readonly peer: string | null;
  /** The host this one replicates from (db1↔db2, db3…→db1). */
  readonly source: string;
  readonly serverId: number;
  readonly socket: string;
  readonly datadir: string;
  /** Directory holding the datadir, the socket, the pid file and `mariadbd.log`. */
  readonly dir: string;
  readonly errorLog: string;
  readonly mysqlPort: 3306;
  /** PID of this host's running mariadbd, or null when it is not running (dead or zombie). */
  pid(): number | null;
}

/** What a command run inside a namespace produced. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code; null when the command was killed (e.g. by the timeout). */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
}

export interface ExecOptions {
  /** Kill the command after this long [10000]. */
  readonly timeoutMs?: number;
  /** Written to the command's stdin. */
  readonly input?: string;
}

/** One row of a SELECT, column name → value as mysql2 returns it. */
export type SqlRow = Record<string, unknown>;

export interface SqlOptions {
  /** Connect as this user [the rig admin]. */
  readonly as?: Credentials;
  /** 'socket' (default, works while the host's link is down) or 'tcp' to the host's IP from the root namespace. */
  readonly via?: 'socket' | 'tcp';
  /** Bound on connecting and on the query [5000]. */
  readonly timeoutMs?: number;
  /** Default database for the session. */
  readonly database?: string;
}

/** Overrides for the generated cluster config. */
export interface ClusterYamlOptions {
  /** Inline `security.secret` [`rig-secret-<prefix>`]; null writes `mmm_v1_compat: true` instead. */
  readonly secret?: string | null;
  /** Extra YAML appended verbatim at the end (top-level sections such as `checks:` or `agent:`). */
  readonly extra?: string;
  /** `monitor.failover_block` [`0s`: tests fail over again and again]; null leaves the product default (1 h). */
  readonly failoverBlock?: string | null;
}

/** A running rig. Every method throws RigError when the rig itself misbehaves (that is a test-environment bug). */
export interface Rig {
  readonly prefix: string;
  readonly subnet: number;
  readonly baseDir: string;
  readonly hosts: readonly RigHost[];
  readonly bridge: string;
  /** The root namespace's address on the bridge (.1): tests and the monitor can use it without `ip netns exec`. */
  readonly bridgeIp: string;
  readonly clientNs: string;
  /** An application host with its own ARP cache (.200). */
  readonly clientIp: string;
  /** .100 */
  readonly writerVip: string;
  /** .101… one per host. */
  readonly readerVips: readonly string[];
  readonly users: RigUsers;
  /** Path of the rig.json that describes this rig to other processes (`attachRig`, the CLI). */
  readonly stateFile: string;

  /** The host by name; throws RigError RIG_UNKNOWN_HOST. */
  host(name: string): RigHost;
  /** One query on a fresh, bounded connection; rows for a SELECT, [] otherwise. MySQL errors are thrown as mysql2 errors (with `errno`). */
  sql(host: string, query: string, params?: readonly unknown[], opts?: SqlOptions): Promise<SqlRow[]>;
  /** Runs argv inside the host's namespace (`ip netns exec`, no shell). Never throws on a non-zero exit. */
  exec(host: string, argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs argv inside the client namespace. */
  execClient(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Sends the signal [SIGKILL] to the host's mariadbd and waits until it is gone. No-op if not running. */
  killMysqld(host: string, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** SIGSTOP: a hung server (TCP connects, the handshake hangs). */
  stopMysqld(host: string): Promise<void>;
  /** SIGCONT after stopMysqld. */
  contMysqld(host: string): Promise<void>;
  /** Starts the host's mariadbd if it is not running and waits until it answers (replication resumes by itself). */
  startMysqld(host: string): Promise<void>;
  /** Takes the host's eth0 down (inside its namespace): it drops off the network, its server keeps running. */
  linkDown(host: string): Promise<void>;
  linkUp(host: string): Promise<void>;
  /** Adds ip/24 to the host's eth0 (idempotent); sends no ARP (see announceVip). */
  addVip(host: string, ip: string): Promise<void>;
  /** Removes ip from the host's eth0 (idempotent). */
  delVip(host: string, ip: string): Promise<void>;
  hasVip(host: string, ip: string): Promise<boolean>;
  /** Fires one gratuitous ARP for ip from the host's eth0 (`arping -U -c 1`); does not wait for arping to exit. */
  announceVip(host: string, ip: string): void;
  /** MAC address of the host's eth0. */
  mac(host: string): Promise<string>;
  /** Waits until every host has applied the masters' @@gtid_binlog_pos; throws RIG_REPLICATION_TIMEOUT [10000 ms]. */
  waitReplicationIdle(timeoutMs?: number): Promise<void>;
  /** A cluster config (spec/config.md) describing this rig. */
  clusterYaml(overrides?: ClusterYamlOptions): string;
  /** Writes clusterYaml() to `<baseDir>/mmm.yaml` with mode 0600 and returns the path. */
  writeClusterYaml(overrides?: ClusterYamlOptions): Promise<string>;
  /** Kills the servers, deletes namespaces, links and the data dir. Idempotent. */
  destroy(): Promise<void>;
}

export type { Result };
