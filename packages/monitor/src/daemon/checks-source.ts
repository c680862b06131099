// The narrow slice of the checks subsystem (src/checks) the daemon reads, so the loop and the
// control listener can be unit-tested with a fake and stay independent of how checks are probed.
import type { CheckDetail, CheckName, CheckResult } from '../core/index.js';

/** What the checks saw in SHOW SLAVE STATUS on one host (fields the daemon reads; more may exist). */
export interface ReplicaView {
  /** Replication source (Master_Host: an IP or a name). */
  readonly sourceHost: string;
  readonly ioRunning: boolean;
  readonly sqlRunning: boolean;
  readonly lagS: number | null;
  /** MariaDB Gtid_IO_Pos: the last GTID received. */
  readonly gtidIoPos?: string | null;
  /** What the server has applied (MariaDB @@gtid_current_pos, MySQL @@gtid_executed). */
  readonly gtidApplied?: string | null;
  /** The relay log is drained: the SQL thread applied everything the IO thread read. */
  readonly caughtUp?: boolean;
  readonly lastIoError?: string;
  readonly lastSqlError?: string;
}

/** One host as the checks see it now (trap logic already applied). */
export interface HostCheckView {
  readonly checks: Readonly<Record<CheckName, CheckResult>>;
  readonly details: Readonly<Partial<Record<CheckName, CheckDetail>>>;
  readonly replica: ReplicaView | null;
  readonly lagS: number | null;
  /** @@gtid_binlog_pos when the checks read it (for "transactions at risk" in failover records). */
  readonly gtidBinlogPos?: string | null;
  /** When gtidBinlogPos was read (ms, the probe's start). */
  readonly gtidReadAt?: number;
}

/** One line of `mmm-control checks`. */
export interface CheckRowView {
  readonly host: string;
  readonly check: string;
  /** 'ok' | 'fail' | 'unknown' (what the core sees). */
  readonly state: string;
  /** When the reported state last changed (ms). */
  readonly since: number;
  readonly message: string;
  /** Consecutive failing probes so far (a failure shows here before the trap reports it). */
  readonly failures?: number;
}

/** What the daemon needs from a check runner (createCheckRunner's CheckRunner fits it). */
export interface ChecksSource {
  start(): void;
  stop(): Promise<void>;
  observe(now: number): Readonly<Record<string, HostCheckView>>;
  networkOk(): boolean;
  rows(): readonly CheckRowView[];
  /** Ask for an immediate probe of a host (after an agent error, a command). */
  urgent(host: string): void;
  /** Resolves once every check has run once (startup waits for it, bounded). */
  settled?(): Promise<void>;
}
