// The MHA-compatible hooks around the core's writer moves (docs/hooks.md): the loop asks this module
// to run a move's stop hooks before its release, its start hook after the promote, and the report
// when the record ends. The core waits for the stop hooks' verdict (observation `moveHooks`).
import type { Logger } from '@mmm-ts/protocol';
import type { ClusterConfig } from '@mmm-ts/protocol/config';
import type { CoreConfig, FailoverKind, FailoverRecord, MoveHooksObs } from '../core/index.js';
import { moveNeedsHooks } from '../core/block.js';
import {
  reportFromMoveRecord, runFailoverHooks, runOnlineChangeHooks,
  type FailoverHookContext, type FailoverHookPhase, type HookStepResult, type OnlineChangeHookContext, type OnlineChangeHookPhase, type ReportConfig,
} from '../hooks/index.js';
import type { MoveRecord } from './history.js';

/** The hook calls the loop makes; the real one runs scripts, tests inject a fake. */
export interface HookRunner {
  failover(phase: FailoverHookPhase, ctx: FailoverHookContext): Promise<HookStepResult>;
  onlineChange(phase: OnlineChangeHookPhase, ctx: OnlineChangeHookContext): Promise<HookStepResult>;
  /** cluster name and host addresses for the report. */
  readonly report: ReportConfig;
}

/** The real runner: the configured scripts, MHA's arguments, the per-phase policy. */
export function scriptHookRunner(cfg: ClusterConfig, logger: Logger): HookRunner {
  return {
    failover: (phase, ctx) => runFailoverHooks(cfg, phase, ctx, { logger }),
    onlineChange: (phase, ctx) => runOnlineChangeHooks(cfg, phase, ctx, { logger }),
    report: { cluster: cfg.cluster, hosts: cfg.hosts },
  };
}

/** A move just promoted (from the core's events), for its start hook. */
export interface PromotedMove {
  readonly id: string;
  readonly kind: FailoverKind;
  readonly from: string;
  readonly to: string;
}

/** The verdict of a move's stop hooks, and the runs to record. */
export interface StopVerdict {
  readonly obs: MoveHooksObs;
  readonly runs: HookStepResult['runs'];
}

const kindOfId = (id: string): FailoverKind => (id.startsWith('forced') ? 'forced_switchover' : id.startsWith('switchover') ? 'switchover' : 'failover');

/** Runs hooks for the loop and remembers the verdict of the last move's stop hooks. */
export class MoveHooks {
  private verdict: MoveHooksObs | null = null;

  constructor(
    private readonly runner: HookRunner,
    private readonly cfg: CoreConfig,
    private readonly reachable: (host: string) => boolean,
    private readonly logger: Logger,
  ) {}

  /** The observation for the core: what the stop hooks of the move in progress said. */
  observation(): MoveHooksObs | null {
    return this.verdict;
  }

  /**
   * Before a tick's commands: a move in progress that needs hooks and has none run yet gets them now
   * (failover: stop_old then shutdown_old; switchover: the online change `stop`). Null when nothing ran.
   */
  async beforeCommands(f: FailoverRecord | null): Promise<StopVerdict | null> {
    if (f === null || !moveNeedsHooks(f, this.cfg) || this.verdict?.id === f.id) return null;
    let result: HookStepResult;
    let fencedOld = false;
    const runs: HookStepResult['runs'][number][] = [];
    if (f.kind === 'failover') {
      const ctx: FailoverHookContext = { origMaster: f.from, newMaster: f.to || null, origHostReachable: this.reachable(f.from), origMasterConfirmedDead: f.detection === 'WRITER_DEAD' };
      result = await this.runner.failover('stop_old', ctx);
      runs.push(...result.runs);
      if (result.proceed) {
        const shut = await this.runner.failover('shutdown_old', ctx);
        runs.push(...shut.runs);
        // MHA's shutdown_script powers the old master off (or fences it): exit 0 is a confirmed fence.
        fencedOld = shut.code === 'HOOK_OK';
        if (!shut.proceed || shut.code !== 'HOOK_NOT_CONFIGURED') result = shut;
      }
    } else {
      result = await this.runner.onlineChange('stop', { origMaster: f.from, newMaster: f.to });
      runs.push(...result.runs);
    }
    this.verdict = { id: f.id, status: result.proceed ? 'proceed' : 'abort', reason: result.reason, ...(fencedOld ? { fencedOld } : {}) };
    this.logger[result.proceed ? 'info' : 'warn']({ event: 'hooks.stop', id: f.id, code: result.code, proceed: result.proceed }, result.reason);
    return { obs: this.verdict, runs };
  }

  /** After the promote succeeded: failover → master_ip_failover_script start; switchover → online change start. */
  async afterPromote(m: PromotedMove): Promise<HookStepResult | null> {
    if (m.from === '' || m.to === '' || m.from === m.to) return null;
    const r = m.kind === 'failover'
      ? await this.runner.failover('start_new', { origMaster: m.from, newMaster: m.to })
      : await this.runner.onlineChange('start', { origMaster: m.from, newMaster: m.to });
    if (r.code !== 'HOOK_NOT_CONFIGURED') this.logger[r.proceed ? 'info' : 'warn']({ event: 'hooks.start', id: m.id, code: r.code, proceed: r.proceed }, r.reason);
    return r;
  }

  /** report_script for a finished record, in the background; its runs are handed to `done`. Never throws. */
  report(rec: MoveRecord, done: (runs: HookStepResult['runs']) => Promise<void>): Promise<void> {
    if (rec.oldWriter === '') return Promise.resolve();
    const report = reportFromMoveRecord(rec, rec.hooks ?? [], this.runner.report);
    return this.runner.failover('report', { origMaster: rec.oldWriter, newMaster: rec.newWriter || null, report })
      .then((r) => done(r.runs))
      .catch((e: unknown) => { this.logger.error({ event: 'hooks.report_failed', err: e instanceof Error ? e.message : String(e) }, 'report hook failed'); });
  }
}

/** The move promoted this tick, if any, from the core's events and the states around them. */
export function promotedMove(events: readonly { readonly event: string; readonly id?: string; readonly step?: string }[], prevFrom: string, newWriter: string): PromotedMove | null {
  const e = events.find((x) => x.event === 'failover.step' && x.step === 'promoted');
  if (e?.id === undefined) return null;
  return { id: e.id, kind: kindOfId(e.id), from: prevFrom, to: newWriter };
}
