// The slice of the cluster configuration the decision core needs, and the adapter from the loader's
// ClusterConfig. The adapter is written against a structural type so the core compiles without the
// config module; anything shaped like the loader's output fits.

export interface CoreHost {
  readonly name: string;
  readonly ip: string;
  readonly mode: 'master' | 'slave';
  readonly peer: string | null;
}

export interface CoreRole {
  readonly name: string;
  readonly mode: 'exclusive' | 'balanced';
  readonly hosts: readonly string[];
  readonly ips: readonly string[];
  readonly prefer: string | null;
}

/** How a promotion waits when the old writer could not be told to release. */
export interface FencingConfig {
  /** none: promote at once (split-brain risk recorded); wait: promote `waitMs` after the failover
   * started; lease: promote `waitMs` (writer_lease + margin) after the old writer's lease was last
   * renewed (by then its agent has fenced itself: docs/fencing.md); require: promote only once the
   * host is observed `fenced`. In every mode an old writer observed fenced releases at once. */
  readonly mode: 'none' | 'wait' | 'lease' | 'require';
  readonly waitMs: number;
  /** lease with the agents' failsafe: promote only `quorumMarginMs` after enough other agents deny
   * the old writer (observation writerDenial) that it cannot keep a backing majority; null: no quorum. */
  readonly quorumMarginMs?: number | null;
}

export interface CoreConfig {
  readonly hosts: Readonly<Record<string, CoreHost>>;
  /** Host names sorted (MMM's order for show and the status file). */
  readonly hostNames: readonly string[];
  readonly roles: Readonly<Record<string, CoreRole>>;
  readonly roleNames: readonly string[];
  readonly activeMasterRole: string;
  readonly initialMode: 'ACTIVE' | 'MANUAL' | 'WAIT' | 'PASSIVE';
  /** 0 = never bring an AWAITING_RECOVERY host ONLINE automatically. */
  readonly autoSetOnlineMs: number;
  readonly flapDurationMs: number;
  readonly flapCount: number;
  readonly waitForOtherMasterMs: number;
  readonly carefulStartup: boolean;
  /** Replication checks on a host are ignored this long after its peer came ONLINE (MMM: 60 s). */
  readonly peerGraceMs: number;
  /** AWAITING_RECOVERY → ONLINE without an operator when down shorter than this, no reboot (60 s). */
  readonly fastRecoveryMs: number;
  /** Ask the replicas before calling an unreachable writer dead. */
  readonly secondaryCheck: boolean;
  /** Move non-writer exclusive roles back to their `prefer` host in ACTIVE mode (MMM does). */
  readonly obeyPreferences: boolean;
  /** The writer never moves back to `prefer` by itself (a switchover is an operator's decision). */
  readonly writerFailback: false;
  readonly fencing: FencingConfig;
  /** monitor.failover_block: no automatic failover this long after one (0 = off; block.ts). */
  readonly failoverBlockMs: number;
  /** Hooks the shell runs before a move's promotion (stop_old/shutdown_old; online change stop):
   * when set, the promotion waits for the shell's `moveHooks` observation (block.ts hookGate). */
  readonly moveHooks: { readonly failover: boolean; readonly switchover: boolean };
}

/** The shape of @mmm-ts/protocol/config's ClusterConfig that the adapter reads. */
export interface ClusterConfigLike {
  readonly hosts: Readonly<Record<string, { readonly name: string; readonly ip: string; readonly mode: 'master' | 'slave'; readonly peer: string | null }>>;
  readonly hostNames?: readonly string[];
  readonly roles: Readonly<Record<string, { readonly name: string; readonly mode: 'exclusive' | 'balanced'; readonly hosts: readonly string[]; readonly ips: readonly string[]; readonly prefer: string | null }>>;
  readonly roleNames?: readonly string[];
  readonly activeMasterRole: string;
  readonly monitor: {
    readonly mode: string;
    readonly autoSetOnlineMs: number;
    readonly flapDurationMs: number;
    readonly flapCount: number;
    readonly waitForOtherMasterMs: number;
    readonly carefulStartup: boolean;
    readonly failoverBlockMs?: number;
  };
  readonly hooks?: {
    readonly secondaryCheck?: string;
    readonly masterIpFailoverScript?: unknown;
    readonly shutdownScript?: unknown;
    readonly masterIpOnlineChangeScript?: unknown;
  };
  readonly fencing?: { readonly writerLeaseMs: number; readonly marginMs: number; readonly failsafe?: 'peers' | 'off' };
  readonly security?: { readonly mmmV1Compat: boolean };
}

/** The writer lease of the config as the core's release gate: wait out lease + margin, and with the
 * agents' failsafe (authenticated protocol) also the denial quorum; or nothing. */
export function fencingFrom(f: ClusterConfigLike['fencing'], compat = false): FencingConfig {
  if (f === undefined || f.writerLeaseMs <= 0) return CORE_DEFAULTS.fencing;
  const quorum = (f.failsafe ?? 'peers') === 'peers' && !compat;
  return { mode: 'lease', waitMs: f.writerLeaseMs + f.marginMs, quorumMarginMs: quorum ? f.marginMs : null };
}

/** CHECK_HOST's deny_ms for this config: how long a denial withdraws an agent's backing (null: none). */
export function denyMsFor(f: FencingConfig, writerLeaseMs: number): number | null {
  return f.mode === 'lease' && f.quorumMarginMs !== undefined && f.quorumMarginMs !== null ? writerLeaseMs + f.quorumMarginMs : null;
}

export const CORE_DEFAULTS = {
  peerGraceMs: 60_000,
  fastRecoveryMs: 60_000,
  fencing: { mode: 'none', waitMs: 0 } satisfies FencingConfig,
  failoverBlockMs: 3_600_000,
} as const;

function toMode(s: string): CoreConfig['initialMode'] {
  const up = s.toUpperCase();
  return up === 'MANUAL' || up === 'WAIT' || up === 'PASSIVE' ? up : 'ACTIVE';
}

/** Builds the core's config from the loader's (already validated) ClusterConfig. */
export function coreConfigFrom(
  cfg: ClusterConfigLike,
  overrides: Partial<Pick<CoreConfig, 'peerGraceMs' | 'fastRecoveryMs' | 'fencing' | 'obeyPreferences' | 'failoverBlockMs' | 'moveHooks'>> = {},
): CoreConfig {
  const hosts: Record<string, CoreHost> = {};
  for (const [k, h] of Object.entries(cfg.hosts)) hosts[k] = { name: h.name, ip: h.ip, mode: h.mode, peer: h.peer };
  const roles: Record<string, CoreRole> = {};
  for (const [k, r] of Object.entries(cfg.roles)) {
    roles[k] = { name: r.name, mode: r.mode, hosts: [...r.hosts], ips: [...r.ips], prefer: r.prefer };
  }
  return Object.freeze({
    hosts,
    hostNames: [...(cfg.hostNames ?? Object.keys(hosts))].sort(),
    roles,
    roleNames: [...(cfg.roleNames ?? Object.keys(roles))],
    activeMasterRole: cfg.activeMasterRole,
    initialMode: toMode(cfg.monitor.mode),
    autoSetOnlineMs: cfg.monitor.autoSetOnlineMs,
    flapDurationMs: cfg.monitor.flapDurationMs,
    flapCount: cfg.monitor.flapCount,
    waitForOtherMasterMs: cfg.monitor.waitForOtherMasterMs,
    carefulStartup: cfg.monitor.carefulStartup,
    peerGraceMs: overrides.peerGraceMs ?? CORE_DEFAULTS.peerGraceMs,
    fastRecoveryMs: overrides.fastRecoveryMs ?? CORE_DEFAULTS.fastRecoveryMs,
    secondaryCheck: (cfg.hooks?.secondaryCheck ?? 'agents') !== 'off',
    obeyPreferences: overrides.obeyPreferences ?? true,
    writerFailback: false,
    fencing: overrides.fencing ?? fencingFrom(cfg.fencing, cfg.security?.mmmV1Compat === true),
    failoverBlockMs: overrides.failoverBlockMs ?? cfg.monitor.failoverBlockMs ?? CORE_DEFAULTS.failoverBlockMs,
    moveHooks: overrides.moveHooks ?? {
      failover: (cfg.hooks?.masterIpFailoverScript ?? null) !== null || (cfg.hooks?.shutdownScript ?? null) !== null,
      switchover: (cfg.hooks?.masterIpOnlineChangeScript ?? null) !== null,
    },
  });
}
