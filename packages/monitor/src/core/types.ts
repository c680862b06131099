// The vocabulary of the monitor's pure decision core: what it remembers (MonitorState), what the shell
// observes for it (Observations), what it asks agents to do (AgentCommand) and what it says (Outcome).
import { HOST_STATES, type HostState, type Role } from '@mmm-ts/protocol';

export type { HostState, Role };

export const HOST_STATE_LIST: readonly HostState[] = HOST_STATES;

export type Mode = 'ACTIVE' | 'MANUAL' | 'WAIT' | 'PASSIVE';

/** A check result after the shell's trap logic: 'fail' = failed continuously for the trap period. */
export type CheckResult = 'ok' | 'fail' | 'unknown';
export type CheckName = 'ping' | 'mysql' | 'repThreads' | 'repBacklog';

export interface CheckDetail {
  readonly kind?: 'refused' | 'timeout' | 'error';
  readonly message?: string;
}

export interface AgentObs {
  readonly reachable: boolean;
  readonly lastError?: string;
  /** Host uptime from the agent's last `|UP:` (seconds); used to tell a reboot from a short outage. */
  readonly uptimeS?: number;
  /** Result of the last SET_STATUS sent to this agent, and when (ms) it was sent. */
  readonly lastSetStatusOk?: boolean;
  readonly lastSetStatusError?: string;
  readonly lastSetStatusAt?: number;
  /** When the agent last confirmed holding the writer role (a SET_STATUS giving it, answered OK):
   * its writer lease runs from about then (ms, reply time). */
  readonly leaseRenewedAt?: number;
}

export interface HostObs {
  readonly checks: Readonly<Record<CheckName, CheckResult>>;
  readonly details?: Readonly<Partial<Record<CheckName, CheckDetail>>>;
  readonly agent: AgentObs;
  /** The host has applied all the replication events it received (relay log drained). */
  readonly repCaughtUp?: boolean;
  /** Seconds_Behind_Master as seen by the shell (null when unknown). */
  readonly lagS?: number | null;
  /** Second opinion: this host's replication IO thread is connected to the current writer. */
  readonly seesWriter?: CheckResult;
  /** Transactions other reachable hosts (not the current writer) have that this host has not even
   * received (GTID ranges); [] none, null/absent unknown. A candidate lacking some would lose them. */
  readonly lacks?: readonly string[] | null;
  /** Fencing hook: the shell (or a later fencing module) confirms the host can no longer write. */
  readonly fenced?: boolean;
  /** The host's replication threads as last read (null: no replication row; absent: unknown). */
  readonly replication?: { readonly ioRunning: boolean; readonly sqlRunning: boolean; readonly lastError: string } | null;
  /** Errant transactions: GTIDs this host has that the current writer does not (a local write on a
   * replica); [] none, null/absent unknown. A switchover target with some is refused. */
  readonly errant?: readonly string[] | null;
}

export type Intent =
  | { readonly id: string; readonly kind: 'set_online'; readonly host: string }
  | { readonly id: string; readonly kind: 'set_offline'; readonly host: string }
  | { readonly id: string; readonly kind: 'move_role'; readonly role: string; readonly host: string; readonly force: boolean }
  | { readonly id: string; readonly kind: 'set_mode'; readonly mode: Mode }
  | { readonly id: string; readonly kind: 'set_ip'; readonly ip: string; readonly host: string }
  | { readonly id: string; readonly kind: 'ack'; readonly host: string };

export interface Observations {
  readonly hosts: Readonly<Record<string, HostObs>>;
  /** The monitor's own network check (ping_ips): false freezes every state change. */
  readonly monitorNetworkOk: boolean;
  readonly intents?: readonly Intent[];
  /** Anti-flapping block kept by the shell (block.ts): no automatic failover starts while it holds. */
  readonly failoverBlock?: FailoverBlock | null;
  /** The shell's hook step for the move in progress (block.ts hookGate): promotion waits for it. */
  readonly moveHooks?: MoveHooksObs | null;
  /** The fence's quorum against the failing writer (shell second-opinion.ts; null/absent: not tracked). */
  readonly writerDenial?: WriterDenial | null;
}

/** Which agents deny the writer (told the monitor they cannot reach its MySQL, which withdraws their
 * failsafe backing), and since when enough of them do that the writer cannot hold on (docs/fencing.md). */
export interface WriterDenial {
  readonly host: string;
  readonly denying: readonly string[];
  readonly needed: number;
  /** When the `needed`-th denial of an unbroken run arrived (ms), null while fewer deny. */
  readonly quorumAt: number | null;
}

/** Why automatic failover is held back: a recent automatic failover (until `at` + failover_block,
 * or an ack), or a failover a hook aborted (until an ack). Kept by the shell, persisted in the status file. */
export interface FailoverBlock {
  readonly kind: 'failover' | 'hook_abort';
  /** When the failover was promoted / aborted (ms). */
  readonly at: number;
}

/** What the shell's hooks said about move `id`: still running, go on, or abort (with why). */
export interface MoveHooksObs {
  readonly id: string;
  readonly status: 'running' | 'proceed' | 'abort';
  readonly reason: string;
  /** shutdown_script ran and exited 0: the old writer is confirmed fenced (no lease wait needed). */
  readonly fencedOld?: boolean;
}

/** What the core remembers about one host between ticks. */
export interface HostRecord {
  readonly state: HostState;
  /** When the current state was entered (ms). */
  readonly since: number;
  /** When the host last became ONLINE (ms), null if not ONLINE. */
  readonly onlineSince: number | null;
  /** Last agent uptime seen (s) and the uptime seen when the host last left ONLINE. */
  readonly uptimeS: number | null;
  readonly uptimeAtDownS: number | null;
  /** Times (ms) the host dropped from ONLINE within the flap window. */
  readonly drops: readonly number[];
  readonly flapping: boolean;
  readonly agentDown: boolean;
}

/** One role IP and the host holding it ('' = orphaned). */
export interface RoleAssignment {
  readonly role: string;
  readonly ip: string;
  readonly host: string;
}

export type FailoverKind = 'failover' | 'switchover' | 'forced_switchover';

/** A writer move in progress: the old writer must release before the new one gets the role. */
export interface FailoverRecord {
  readonly id: string;
  readonly kind: FailoverKind;
  readonly detection: DetectionCode;
  readonly from: string;
  readonly to: string;
  readonly startedAt: number;
  /** The control intent waiting for this move (move_role), answered when it ends. */
  readonly intentId: string | null;
  /** A switchover past the release (switchover.ts): 'promoting' = the target was sent the writer role
   * at `phaseAt`; 'rolling_back' = its promotion failed (`why`), the old writer gets the role back. */
  readonly phase?: 'promoting' | 'rolling_back';
  readonly phaseAt?: number;
  readonly why?: string;
}

export interface MonitorState {
  readonly mode: Mode;
  readonly modeSince: number;
  readonly passiveReason: string;
  readonly hosts: Readonly<Record<string, HostRecord>>;
  readonly roles: readonly RoleAssignment[];
  /** The host the replicas follow; '' when none. Changes only when a new writer is promoted. */
  readonly activeMaster: string;
  readonly failover: FailoverRecord | null;
}

/** SET_STATUS as data. The shell runs phases in ascending order (a phase's commands in any order);
 * when a `critical` command fails it sends nothing of the later phases this tick. */
export interface AgentCommand {
  readonly host: string;
  readonly state: HostState;
  readonly roles: readonly Role[];
  readonly master: string;
  readonly phase: 1 | 2 | 3;
  readonly critical: boolean;
  readonly purpose: 'heartbeat' | 'release' | 'repoint' | 'promote';
}

export const OUTCOME_CODES = [
  'NO_ACTION',
  'FROZEN_NETWORK',
  'PASSIVE_MODE',
  'HOST_STATE_CHANGED',
  'ROLES_MOVED',
  'MODE_CHANGED',
  'FAILOVER_STARTED',
  'FAILOVER_WAITING',
  'FAILOVER_BLOCKED',
  'WRITER_PROMOTED',
  'SWITCHOVER_ABORTED',
  'WRITER_WARNING',
  'SET_STATUS_FAILED',
  'OPERATOR_COMMAND',
  'STARTUP_RESTORED',
  'STARTUP_PASSIVE',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

export const DETECTION_CODES = [
  'WRITER_DEAD',
  'WRITER_UNREACHABLE_AGENT_UP',
  'WRITER_UNREACHABLE',
  'WRITER_AGENT_DOWN',
  'WRITER_ADMIN_OFFLINE',
  'WRITER_MISSING',
  'PLANNED_SWITCHOVER',
  'MONITOR_ISOLATED',
] as const;
export type DetectionCode = (typeof DETECTION_CODES)[number];

export const BLOCK_CODES = [
  'NO_ELIGIBLE_CANDIDATE',
  'DEMOTION_FAILED',
  'AWAITING_RELEASE',
  'AWAITING_FENCING',
  'WRITER_STILL_SEEN_BY_REPLICAS',
  'RECENT_FAILOVER',
  'AWAITING_HOOKS',
  'HOOK_ABORTED',
] as const;
export type BlockCode = (typeof BLOCK_CODES)[number];

export interface Outcome {
  readonly code: OutcomeCode;
  readonly sentence: string;
  readonly detection?: DetectionCode;
  readonly block?: BlockCode;
}

export type CoreEvent =
  | { readonly event: 'host.state_changed'; readonly host: string; readonly from: HostState; readonly to: HostState; readonly reason: string }
  | { readonly event: 'host.flapping'; readonly host: string; readonly drops: number }
  | { readonly event: 'role.moved'; readonly role: string; readonly ip: string; readonly from: string; readonly to: string }
  | { readonly event: 'mode.changed'; readonly from: Mode; readonly to: Mode; readonly reason: string }
  | { readonly event: 'failover.detected'; readonly detection: DetectionCode; readonly host: string }
  | { readonly event: 'failover.step'; readonly id: string; readonly step: string; readonly detail: string }
  | { readonly event: 'failover.split_brain_risk'; readonly id: string; readonly host: string; readonly detail: string }
  | { readonly event: 'agent.set_status_failed'; readonly host: string; readonly error: string }
  | { readonly event: 'intent.handled'; readonly id: string; readonly kind: Intent['kind']; readonly reply: string };

/** The answer to a control intent. `afterCommands`: reply only once this tick's critical commands
 * succeeded; if one failed, answer `ERROR: <its error>` instead. */
export interface IntentResult {
  readonly id: string;
  readonly ok: boolean;
  readonly reply: string;
  readonly afterCommands?: boolean;
}

export interface DecideResult {
  readonly state: MonitorState;
  readonly commands: readonly AgentCommand[];
  readonly outcome: Outcome;
  readonly events: readonly CoreEvent[];
  readonly intentResults: readonly IntentResult[];
}
