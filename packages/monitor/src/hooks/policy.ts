// What a hook's result means for the move it belongs to: MHA's exit-code contract (0 ok, 10 "failed,
// proceed") plus the configured on_failure, whose `default` is a documented rule per phase.
import type { HookFailurePolicy } from '@mmm-ts/protocol/config';
import type { HookRun } from './types.js';

/** Points of a failover (and the status check at start) where hooks run. */
export type FailoverHookPhase = 'status_check' | 'stop_old' | 'shutdown_old' | 'start_new' | 'report';
/** Points of a switchover (MHA's online change) where hooks run. */
export type OnlineChangeHookPhase = 'stop' | 'start';

/** Stable codes of a hook step's outcome. */
export type HookStepCode = 'HOOK_BAD_CALL' | 'HOOK_NOT_CONFIGURED' | 'HOOK_OK' | 'HOOK_EXIT_10_PROCEED' | 'HOOK_FAILED_CONTINUE' | 'HOOK_FAILED_ABORT';

/** The outcome of one hook step: the runs to keep in the record, and whether the move goes on. */
export interface HookStepResult {
  readonly runs: readonly HookRun[];
  readonly proceed: boolean;
  readonly code: HookStepCode;
  readonly reason: string;
}

/**
 * The `default` policy of each phase: abort where MHA aborts (status check, disabling the old master's
 * address, power-off, enabling the new one, online change), except that a failing stop or power-off of an
 * old master already confirmed dead continues; a report never stops anything.
 */
export function defaultFailurePolicy(phase: FailoverHookPhase | `online_${OnlineChangeHookPhase}`, origMasterConfirmedDead: boolean): 'abort' | 'continue' {
  switch (phase) {
    case 'report': return 'continue';
    case 'stop_old':
    case 'shutdown_old': return origMasterConfirmedDead ? 'continue' : 'abort';
    default: return 'abort';
  }
}

/** Describes how a run failed, for reasons and logs. */
export function describeFailure(run: HookRun): string {
  if (run.timedOut) return `timed out after ${run.durationMs} ms and was killed`;
  if (run.error !== null) return `could not be run: ${run.error}`;
  if (run.exitCode === null) return `was killed by ${run.signal ?? 'a signal'}`;
  return `exited ${run.exitCode}`;
}

/** Applies MHA's exit codes and the policy to one run. */
export function judgeRun(run: HookRun, configured: HookFailurePolicy, fallback: 'abort' | 'continue'): HookStepResult {
  const what = `${run.hook} --command=${run.command}`;
  if (run.ok) return { runs: [run], proceed: true, code: 'HOOK_OK', reason: `${what} succeeded` };
  if (run.exitCode === 10 && !run.timedOut) {
    return { runs: [run], proceed: true, code: 'HOOK_EXIT_10_PROCEED', reason: `${what} exited 10: failed, proceeding (MHA's convention)` };
  }
  const policy = configured === 'default' ? fallback : configured;
  const source = configured === 'default' ? 'the default for this phase' : 'on_failure';
  return policy === 'continue'
    ? { runs: [run], proceed: true, code: 'HOOK_FAILED_CONTINUE', reason: `${what} ${describeFailure(run)}; continuing (${source})` }
    : { runs: [run], proceed: false, code: 'HOOK_FAILED_ABORT', reason: `${what} ${describeFailure(run)}; aborting (${source})` };
}
