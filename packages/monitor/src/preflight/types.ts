// The shapes of a preflight run: what was observed per host (facts) and the checklist it produces.
import type { ReplicaStatus, ServerFlavor, SqlError } from '@mmm-ts/protocol/mysql';
import type { TransportError } from '@mmm-ts/protocol';
import type { GrantSet, PrivilegeRow } from './grants.js';

export type PreflightStatus = 'PASS' | 'WARN' | 'FAIL';

/** One checklist line: `host` null for cluster-wide checks. */
export interface PreflightLine {
  readonly status: PreflightStatus;
  readonly host: string | null;
  readonly check: string;
  readonly message: string;
  /** How to fix it (WARN and FAIL lines). */
  readonly hint?: string;
}

export interface PreflightReport {
  readonly lines: PreflightLine[];
  readonly failed: number;
  readonly warned: number;
}

/** The agent's answer to PING: the reply payload, or why none came. */
export type AgentPing = { readonly ok: true; readonly payload: string } | { readonly ok: false; readonly error: TransportError };

/** One account's own SHOW GRANTS, or why we could not log in as it. */
export type AccountGrants = { readonly ok: true; readonly grants: GrantSet } | { readonly ok: false; readonly error: SqlError };

/** Server variables preflight reads (one round trip). */
export interface ServerVars {
  readonly serverId: number;
  readonly logBin: boolean;
  readonly logReplicaUpdates: boolean;
  readonly readOnly: boolean;
  readonly autoIncrementIncrement: number;
  readonly autoIncrementOffset: number;
  /** MariaDB gtid_strict_mode; null on MySQL. */
  readonly gtidStrictMode: boolean | null;
  /** MySQL gtid_mode ON and enforce_gtid_consistency ON; null on MariaDB. */
  readonly gtidModeOn: boolean | null;
  /** MariaDB: gtid_binlog_state; MySQL: gtid_executed. What this host wrote or relayed. */
  readonly gtidOwn: string;
  /** MariaDB: gtid_current_pos; MySQL: gtid_executed. What this host has applied. */
  readonly gtidApplied: string;
}

/** Everything observed on one host whose MySQL answered. */
export interface HostFacts {
  readonly flavor: ServerFlavor;
  readonly vars: ServerVars;
  readonly replicas: readonly ReplicaStatus[];
  readonly agentGrants: AccountGrants;
  readonly monitorGrants: AccountGrants;
  readonly replicationGrants: AccountGrants;
  /** Holders of read_only bypass privileges; null when the agent account may not read others' grants. */
  readonly privileged: readonly PrivilegeRow[] | null;
}

/** One host as gathered: facts, or the error that stopped us (connect or a query). */
export interface HostObservation {
  readonly name: string;
  readonly agent: AgentPing;
  readonly mysql: { readonly ok: true; readonly facts: HostFacts } | { readonly ok: false; readonly error: SqlError; readonly stage: string };
}
