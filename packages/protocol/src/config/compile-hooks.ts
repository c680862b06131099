// The `hooks:` section: MHA-compatible scripts, each either a bare absolute path (MHA's form) or a map
// `{ path, timeout, on_failure }`, compiled to `{ path, timeoutMs, onFailure }` with per-hook defaults.
import { isAbsolute } from 'node:path';
import type { ClusterConfig, HookConfig } from './types.js';
import { DEFAULTS } from './defaults.js';
import { describeValue } from './problem.js';
import { missing, present, readDurationMs, readEnum, readMap, readString } from './reader.js';
import type { Entry, ReadContext, Fields } from './reader.js';
import { isMap } from 'yaml';

const SCRIPT_KEYS = ['master_ip_failover_script', 'master_ip_online_change_script', 'shutdown_script', 'report_script'] as const;
type ScriptKey = (typeof SCRIPT_KEYS)[number];
const HOOK_KEYS = [...SCRIPT_KEYS, 'ssh_user', 'secondary_check'] as const;
const SPEC_KEYS = ['path', 'timeout', 'on_failure'] as const;

function readPath(ctx: ReadContext, e: Entry | undefined): string | undefined {
  const s = readString(ctx, e);
  if (s === undefined || e === undefined) return undefined;
  if (!isAbsolute(s)) {
    ctx.problems.add(e.at, 'CONFIG_BAD_VALUE', `\`${e.path}\` must be an absolute path`, describeValue(s));
    return undefined;
  }
  return s;
}

/** One hook: `PATH` or `{ path: PATH, timeout: 10s, on_failure: abort|continue|default }`; null when absent or bad. */
function readHook(ctx: ReadContext, e: Entry | undefined, key: ScriptKey): HookConfig | null {
  if (!present(e)) return null;
  const timeoutMs = DEFAULTS.hooks.timeoutMs[key];
  if (!isMap(e.node)) {
    const path = readPath(ctx, e);
    return path === undefined ? null : { path, timeoutMs, onFailure: 'default' };
  }
  const f = readMap(ctx, e, SPEC_KEYS, e.path) ?? new Map<string, Entry>();
  if (!present(f.get('path'))) {
    missing(ctx, e.at, `${e.path}.path`);
    return null;
  }
  const path = readPath(ctx, f.get('path'));
  const timeout = readDurationMs(ctx, f.get('timeout'), 1);
  const onFailure = readEnum(ctx, f.get('on_failure'), ['abort', 'continue', 'default'] as const);
  if (path === undefined) return null;
  return { path, timeoutMs: timeout ?? timeoutMs, onFailure: onFailure ?? 'default' };
}

/** Compiles `hooks` (MHA-compatible scripts, each optional; docs/hooks.md). */
export function compileHooks(ctx: ReadContext, root: Fields): ClusterConfig['hooks'] {
  const f = readMap(ctx, root.get('hooks'), HOOK_KEYS, 'hooks') ?? new Map<string, Entry>();
  return {
    masterIpFailoverScript: readHook(ctx, f.get('master_ip_failover_script'), 'master_ip_failover_script'),
    masterIpOnlineChangeScript: readHook(ctx, f.get('master_ip_online_change_script'), 'master_ip_online_change_script'),
    shutdownScript: readHook(ctx, f.get('shutdown_script'), 'shutdown_script'),
    reportScript: readHook(ctx, f.get('report_script'), 'report_script'),
    sshUser: readString(ctx, f.get('ssh_user')) ?? DEFAULTS.hooks.sshUser,
    secondaryCheck: readEnum(ctx, f.get('secondary_check'), ['agents', 'off'] as const) ?? DEFAULTS.hooks.secondaryCheck,
  };
}
