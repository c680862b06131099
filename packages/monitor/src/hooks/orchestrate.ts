// The calls the daemon makes at each point of a failover or switchover: build MHA's arguments from the
// config, run the configured script, and say whether the move may go on (docs/hooks.md).
import type { Logger } from '@mmm-ts/protocol';
import type { ClusterConfig, HookConfig } from '@mmm-ts/protocol/config';
import { buildHookArgs, buildHookEnv } from './args.js';
import { defaultFailurePolicy, judgeRun } from './policy.js';
import type { FailoverHookPhase, HookStepResult, OnlineChangeHookPhase } from './policy.js';
import { formatMhaReport, reportSubject } from './report.js';
import type { FailoverReport } from './report.js';
import { runHook } from './run.js';
import type { HookArgsContext, HookCommand, HookHost, HookKind } from './types.js';

export type HookConfigSource = Pick<ClusterConfig, 'hooks' | 'hosts'>;

export interface FailoverHookContext {
  /** The writer being replaced (a host name of the config). */
  readonly origMaster: string;
  /** The chosen new writer; needed by start_new. */
  readonly newMaster?: string | null;
  /** stop_old / shutdown_old: the old host still answers (its agent replies) → `stopssh`, else `stop` (MHA: SSH reachable). */
  readonly origHostReachable?: boolean;
  /** stop_old / shutdown_old: the old writer is confirmed dead (secondary check agreed, lease expired): a failing script then continues by default. */
  readonly origMasterConfirmedDead?: boolean;
  /** report: the report to send (subject and body are made from it). */
  readonly report?: FailoverReport;
}

export interface OnlineChangeHookContext {
  readonly origMaster: string;
  readonly newMaster: string;
}

export interface HookRunnerOptions {
  readonly logger: Logger;
  readonly maxOutputBytes?: number;
  readonly killGraceMs?: number;
}

/** True when master_ip_failover_script moves the writer address: the agents' native writer VIP is then off (MHA setups). */
export function writerAddressByScript(cfg: Pick<ClusterConfig, 'hooks'>): boolean {
  return cfg.hooks.masterIpFailoverScript !== null;
}

/** A config host as MHA describes a master; the account is the host's agent MySQL user. */
export function hookHost(cfg: Pick<ClusterConfig, 'hosts'>, name: string): HookHost | null {
  const h = cfg.hosts[name];
  return h === undefined ? null : { host: h.name, ip: h.ip, port: h.mysqlPort, user: h.agentUser, password: h.agentPassword };
}

const NOT_CONFIGURED = (kind: HookKind): HookStepResult => ({ runs: [], proceed: true, code: 'HOOK_NOT_CONFIGURED', reason: `${kind} is not configured` });

async function runOne(
  kind: HookKind, spec: HookConfig, command: HookCommand, ctx: HookArgsContext, fallback: 'abort' | 'continue', opts: HookRunnerOptions,
): Promise<HookStepResult> {
  const args = buildHookArgs(kind, command, ctx);
  if (!args.ok) return { runs: [], proceed: fallback === 'continue', code: 'HOOK_BAD_CALL', reason: args.error.message };
  const run = await runHook({ hook: kind, path: spec.path }, args.value, buildHookEnv(kind, command, ctx), {
    timeoutMs: spec.timeoutMs, logger: opts.logger, maxOutputBytes: opts.maxOutputBytes, killGraceMs: opts.killGraceMs,
  });
  return judgeRun(run, spec.onFailure, fallback);
}

function unknownHost(name: string): HookStepResult {
  return { runs: [], proceed: false, code: 'HOOK_BAD_CALL', reason: `unknown host ${JSON.stringify(name)}` };
}

/** Runs the hooks of one failover phase (status_check runs the failover then the shutdown script's status). */
export async function runFailoverHooks(cfg: HookConfigSource, phase: FailoverHookPhase, ctx: FailoverHookContext, opts: HookRunnerOptions): Promise<HookStepResult> {
  const orig = hookHost(cfg, ctx.origMaster);
  if (orig === null) return unknownHost(ctx.origMaster);
  const newName = ctx.newMaster ?? null;
  const newMaster = newName === null ? null : hookHost(cfg, newName);
  if (newName !== null && newMaster === null) return unknownHost(newName);
  const base: HookArgsContext = { sshUser: cfg.hooks.sshUser, origMaster: orig, newMaster };
  const fallback = defaultFailurePolicy(phase, ctx.origMasterConfirmedDead === true);
  const stop: HookCommand = ctx.origHostReachable === true ? 'stopssh' : 'stop';
  const h = cfg.hooks;
  switch (phase) {
    case 'status_check': {
      const results: HookStepResult[] = [];
      for (const [kind, spec] of [['master_ip_failover_script', h.masterIpFailoverScript], ['shutdown_script', h.shutdownScript]] as const) {
        if (spec === null) continue;
        const r = await runOne(kind, spec, 'status', base, fallback, opts);
        results.push(r);
        if (!r.proceed) break;
      }
      const runs = results.flatMap((r) => r.runs);
      const last = results.find((r) => r.code !== 'HOOK_OK') ?? results[results.length - 1];
      return last === undefined ? NOT_CONFIGURED('master_ip_failover_script') : { ...last, runs };
    }
    case 'stop_old':
      return h.masterIpFailoverScript === null ? NOT_CONFIGURED('master_ip_failover_script') : runOne('master_ip_failover_script', h.masterIpFailoverScript, stop, base, fallback, opts);
    case 'shutdown_old':
      return h.shutdownScript === null ? NOT_CONFIGURED('shutdown_script') : runOne('shutdown_script', h.shutdownScript, stop, base, fallback, opts);
    case 'start_new':
      return h.masterIpFailoverScript === null ? NOT_CONFIGURED('master_ip_failover_script') : runOne('master_ip_failover_script', h.masterIpFailoverScript, 'start', base, fallback, opts);
    case 'report': {
      if (h.reportScript === null) return NOT_CONFIGURED('report_script');
      const r = ctx.report;
      if (r === undefined) return { runs: [], proceed: true, code: 'HOOK_BAD_CALL', reason: 'report_script needs the report' };
      // MHA passes the new master and its slaves only when the new master was activated.
      const activated = r.outcome === 'promoted' ? newMaster ?? (r.newMaster === null ? null : hookHost(cfg, r.newMaster.host)) : null;
      return runOne('report_script', h.reportScript, 'report', {
        ...base, newMaster: activated, newSlaveHosts: r.repointed.filter((x) => x.ok).map((x) => x.host.host),
        subject: reportSubject(r), body: formatMhaReport(r),
      }, fallback, opts);
    }
  }
}

/** Runs master_ip_online_change_script for a switchover: `stop` before the old writer is released, `start` once the new one has caught up. */
export async function runOnlineChangeHooks(cfg: HookConfigSource, phase: OnlineChangeHookPhase, ctx: OnlineChangeHookContext, opts: HookRunnerOptions): Promise<HookStepResult> {
  const spec = cfg.hooks.masterIpOnlineChangeScript;
  if (spec === null) return NOT_CONFIGURED('master_ip_online_change_script');
  const orig = hookHost(cfg, ctx.origMaster);
  if (orig === null) return unknownHost(ctx.origMaster);
  const newMaster = hookHost(cfg, ctx.newMaster);
  if (newMaster === null) return unknownHost(ctx.newMaster);
  return runOne('master_ip_online_change_script', spec, phase, { sshUser: cfg.hooks.sshUser, origMaster: orig, newMaster }, defaultFailurePolicy(`online_${phase}`, false), opts);
}
