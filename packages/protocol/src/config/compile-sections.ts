// The small sections: `monitor`, `checks`, `security`, `agent` (and `hooks`, in compile-hooks.ts). Each reads its keys with
// the documented default and reports every bad value.
import { isIPv4 } from 'node:net';
import type { CheckConfig, ClusterConfig, MonitorConfig } from './types.js';
import { DEFAULTS } from './defaults.js';
import { describeValue } from './problem.js';
import { readBool, readDurationMs, readEnum, readInt, readIPv4, readList, readMap, readPort, readString } from './reader.js';
import type { Entry, Fields, ReadContext } from './reader.js';
import type { SecretReader } from './secrets.js';

const MONITOR_KEYS = ['ip', 'port', 'http', 'status_path', 'mode', 'ping_ips', 'careful_startup', 'auto_set_online',
  'flap_duration', 'flap_count', 'wait_for_other_master', 'failover_block'] as const;
const CHECK_NAMES = ['ping', 'mysql', 'rep_threads', 'rep_backlog'] as const;
const CHECK_KEYS = ['interval', 'trap', 'timeout'] as const;
const SECURITY_KEYS = ['secret', 'secret_file', 'mmm_v1_compat'] as const;
const AGENT_KEYS = ['deny_write', 'max_kill_retries', 'sync_timeout'] as const;

const empty = (): Map<string, Entry> => new Map<string, Entry>();

/** `monitor.http`: `host:port` with an IPv4 host, or absent (HTTP off). */
function readHttp(ctx: ReadContext, e: Entry | undefined): MonitorConfig['http'] {
  const s = readString(ctx, e);
  if (s === undefined || e === undefined) return null;
  const m = /^(.+):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[2]) : 0;
  if (!m || !isIPv4(m[1] ?? '') || port < 1 || port > 65535) {
    ctx.problems.add(e.at, 'CONFIG_BAD_ADDRESS', `\`${e.path}\` must be an IPv4 address and port, like 127.0.0.1:9990`, describeValue(s));
    return null;
  }
  return { host: m[1] ?? '', port };
}

/** Compiles `monitor`; the status path defaults to /var/lib/mmm/<cluster>.status. */
export function compileMonitor(ctx: ReadContext, root: Fields, cluster: string): MonitorConfig {
  const f = readMap(ctx, root.get('monitor'), MONITOR_KEYS, 'monitor') ?? empty();
  const d = DEFAULTS.monitor;
  const pingIps = (readList(ctx, f.get('ping_ips'), '10.0.0.1') ?? []).map((item) => readIPv4(ctx, item)).filter((x) => x !== undefined);
  return {
    ip: readIPv4(ctx, f.get('ip')) ?? d.ip,
    port: readPort(ctx, f.get('port')) ?? d.port,
    http: readHttp(ctx, f.get('http')),
    statusPath: readString(ctx, f.get('status_path')) ?? `${d.statusDir}/${cluster}.status`,
    mode: readEnum(ctx, f.get('mode'), ['active', 'manual', 'wait', 'passive'] as const) ?? d.mode,
    pingIps,
    carefulStartup: readBool(ctx, f.get('careful_startup')) ?? d.carefulStartup,
    autoSetOnlineMs: readDurationMs(ctx, f.get('auto_set_online')) ?? d.autoSetOnlineMs,
    flapDurationMs: readDurationMs(ctx, f.get('flap_duration')) ?? d.flapDurationMs,
    flapCount: readInt(ctx, f.get('flap_count'), 1, 1_000_000) ?? d.flapCount,
    waitForOtherMasterMs: readDurationMs(ctx, f.get('wait_for_other_master')) ?? d.waitForOtherMasterMs,
    failoverBlockMs: readDurationMs(ctx, f.get('failover_block')) ?? d.failoverBlockMs,
  };
}

function readCheck(
  ctx: ReadContext, e: Entry | undefined, name: string, extra: readonly string[], d: CheckConfig = DEFAULTS.check,
): { check: CheckConfig; f: Fields } {
  const f = readMap(ctx, e, [...CHECK_KEYS, ...extra], `checks.${name}`) ?? empty();
  const check = {
    intervalMs: readDurationMs(ctx, f.get('interval'), 1) ?? d.intervalMs,
    trapMs: readDurationMs(ctx, f.get('trap')) ?? d.trapMs,
    timeoutMs: readDurationMs(ctx, f.get('timeout'), 1) ?? d.timeoutMs,
  };
  return { check, f };
}

/** Compiles `checks` (interval, trap, timeout per check; rep_backlog adds max_backlog). */
export function compileChecks(ctx: ReadContext, root: Fields): ClusterConfig['checks'] {
  const f = readMap(ctx, root.get('checks'), CHECK_NAMES, 'checks') ?? empty();
  const backlog = readCheck(ctx, f.get('rep_backlog'), 'rep_backlog', ['max_backlog'], DEFAULTS.replicationCheck);
  return {
    ping: readCheck(ctx, f.get('ping'), 'ping', []).check,
    mysql: readCheck(ctx, f.get('mysql'), 'mysql', []).check,
    repThreads: readCheck(ctx, f.get('rep_threads'), 'rep_threads', [], DEFAULTS.replicationCheck).check,
    repBacklog: { ...backlog.check, maxBacklogMs: readDurationMs(ctx, backlog.f.get('max_backlog')) ?? DEFAULTS.maxBacklogMs },
  };
}

/** Compiles `security`: a shared secret is required unless the cluster speaks plain MMM v1. */
export function compileSecurity(ctx: ReadContext, root: Fields, secrets: SecretReader): ClusterConfig['security'] {
  const entry = root.get('security');
  const f = readMap(ctx, entry, SECURITY_KEYS, 'security') ?? empty();
  const mmmV1Compat = readBool(ctx, f.get('mmm_v1_compat')) ?? false;
  const given = secrets.has(f, 'secret');
  const secret = given ? secrets.read(f, 'secret') ?? null : null;
  if (!given && !mmmV1Compat) {
    ctx.problems.add(entry?.keyAt ?? 0, 'CONFIG_MISSING_SECRET',
      'a shared secret is required: set `security.secret_file` (or `security.secret`), or `security.mmm_v1_compat: true` for the unauthenticated MMM v1 protocol');
  }
  return { secret, mmmV1Compat };
}

/** Compiles `agent`. */
export function compileAgent(ctx: ReadContext, root: Fields): ClusterConfig['agent'] {
  const f = readMap(ctx, root.get('agent'), AGENT_KEYS, 'agent') ?? empty();
  const d = DEFAULTS.agent;
  return {
    denyWrite: readEnum(ctx, f.get('deny_write'), ['hard', 'soft'] as const) ?? d.denyWrite,
    maxKillRetries: readInt(ctx, f.get('max_kill_retries'), 0, 1_000_000) ?? d.maxKillRetries,
    syncTimeoutMs: readDurationMs(ctx, f.get('sync_timeout'), 1) ?? d.syncTimeoutMs,
  };
}

export { compileHooks } from './compile-hooks.js';
