// The compiled, validated cluster configuration every program reads: units in the names (`…Ms`),
// defaults applied, deep-frozen. The YAML keys and their defaults are in spec/config.md.

export interface CheckConfig {
  readonly intervalMs: number;
  readonly trapMs: number;
  readonly timeoutMs: number;
}

export interface HostConfig {
  readonly name: string;
  readonly ip: string;
  readonly mode: 'master' | 'slave';
  readonly peer: string | null;
  readonly agentPort: number;
  readonly mysqlPort: number;
  readonly interface: string;
  readonly agentUser: string;
  readonly agentPassword: string;
  readonly monitorUser: string;
  readonly monitorPassword: string;
  readonly replicationUser: string;
  readonly replicationPassword: string;
}

export interface RoleConfig {
  readonly name: string;
  readonly mode: 'exclusive' | 'balanced';
  readonly hosts: readonly string[];
  readonly ips: readonly string[];
  readonly prefer: string | null;
}

export type MonitorMode = 'active' | 'manual' | 'wait' | 'passive';

/**
 * What a failing hook does to the move it belongs to: `abort` stops it, `continue` goes on, `default`
 * applies the documented per-hook, per-phase rule (docs/hooks.md). An MHA exit code 10 always continues.
 */
export type HookFailurePolicy = 'abort' | 'continue' | 'default';

/** One configured MHA-compatible hook script. */
export interface HookConfig {
  readonly path: string;
  /** The script is killed (process group: SIGTERM, then SIGKILL) after this long; a timeout is a failure. */
  readonly timeoutMs: number;
  readonly onFailure: HookFailurePolicy;
}

export interface MonitorConfig {
  readonly ip: string;
  readonly port: number;
  readonly http: { readonly host: string; readonly port: number } | null;
  readonly statusPath: string;
  readonly mode: MonitorMode;
  readonly pingIps: readonly string[];
  readonly carefulStartup: boolean;
  readonly autoSetOnlineMs: number;
  readonly flapDurationMs: number;
  readonly flapCount: number;
  readonly waitForOtherMasterMs: number;
  /** `failover_block`: no automatic failover this long after one unless acknowledged (0 = off) [1h]. */
  readonly failoverBlockMs: number;
}

export interface ClusterConfig {
  /** The file it was read from (as given). */
  readonly file: string;
  readonly cluster: string;
  readonly activeMasterRole: string;
  readonly monitor: MonitorConfig;
  readonly hosts: Readonly<Record<string, HostConfig>>;
  /** Host names, sorted. */
  readonly hostNames: readonly string[];
  readonly roles: Readonly<Record<string, RoleConfig>>;
  /** Role names, in config order. */
  readonly roleNames: readonly string[];
  readonly checks: {
    readonly ping: CheckConfig;
    readonly mysql: CheckConfig;
    readonly repThreads: CheckConfig;
    readonly repBacklog: CheckConfig & { readonly maxBacklogMs: number };
  };
  readonly security: { readonly secret: string | null; readonly mmmV1Compat: boolean };
  readonly agent: { readonly denyWrite: 'hard' | 'soft'; readonly maxKillRetries: number; readonly syncTimeoutMs: number };
  readonly hooks: {
    readonly masterIpFailoverScript: HookConfig | null;
    readonly masterIpOnlineChangeScript: HookConfig | null;
    readonly shutdownScript: HookConfig | null;
    readonly reportScript: HookConfig | null;
    /** Passed as `--ssh_user=` (MHA's argument; MMM-TS itself never uses ssh). */
    readonly sshUser: string;
    readonly secondaryCheck: 'agents' | 'off';
  };
  /** Writer lease and self-fencing (docs/fencing.md); writerLeaseMs 0 = no lease (MMM's behaviour). */
  readonly fencing: {
    readonly writerLeaseMs: number;
    /** Extra wait the monitor adds to the lease before promoting over an unreachable, unfenced writer. */
    readonly marginMs: number;
    /** peers: an expired writer keeps its role while a majority of agents agree the monitor is silent. */
    readonly failsafe: 'peers' | 'off';
  };
}

/** Stable codes of config problems (documented in docs/errors.md, section Config). */
export const CONFIG_PROBLEM_CODES = [
  'CONFIG_READ_FAILED',
  'CONFIG_YAML_SYNTAX',
  'CONFIG_DUPLICATE_KEY',
  'CONFIG_UNKNOWN_KEY',
  'CONFIG_WRONG_TYPE',
  'CONFIG_MISSING_KEY',
  'CONFIG_BAD_VALUE',
  'CONFIG_BAD_NAME',
  'CONFIG_OUT_OF_RANGE',
  'CONFIG_BAD_DURATION',
  'CONFIG_BAD_PORT',
  'CONFIG_BAD_IP',
  'CONFIG_BAD_ADDRESS',
  'CONFIG_DUPLICATE_IP',
  'CONFIG_UNKNOWN_HOST',
  'CONFIG_UNKNOWN_ROLE',
  'CONFIG_BAD_REFERENCE',
  'CONFIG_BAD_ROLE',
  'CONFIG_MISSING_SECRET',
  'CONFIG_SECRET_CONFLICT',
  'CONFIG_SECRET_FILE',
  'CONFIG_READABLE_FILE',
] as const;
export type ConfigProblemCode = (typeof CONFIG_PROBLEM_CODES)[number];

/** One thing wrong with a config file, at a 1-based line and column (0:0 when not about a place). */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: ConfigProblemCode;
  readonly message: string;
  /** The offending value, already quoted with its type where useful; never a secret. */
  readonly got?: string;
}

export interface ParseOptions {
  /** Accept secret files readable or writable by group/others (`--allow-readable-config`). */
  readonly allowReadable?: boolean;
  /** Where relative `*_file` paths are resolved; default: the config file's directory. */
  readonly baseDir?: string;
}
