// Public surface of the MHA-compatible hooks: argument forms, the runner, the per-phase calls the
// daemon makes, and the MHA-style failover report (docs/hooks.md).
export { HOOK_KINDS, type HookKind, type HookCommand, type HookHost, type HookArgsContext, type HookRun } from './types.js';
export { buildHookArgs, buildHookEnv, redactArgs, type HookArgsError } from './args.js';
export { runHook, type RunHookOptions } from './run.js';
export { defaultFailurePolicy, judgeRun, describeFailure, type FailoverHookPhase, type OnlineChangeHookPhase, type HookStepCode, type HookStepResult } from './policy.js';
export {
  runFailoverHooks, runOnlineChangeHooks, writerAddressByScript, hookHost,
  type FailoverHookContext, type OnlineChangeHookContext, type HookRunnerOptions, type HookConfigSource,
} from './orchestrate.js';
export {
  reportFromMoveRecord, formatMhaReport, reportSubject, hostInfo,
  type FailoverReport, type ReportConfig, type ReportHost, type ReportPhase, type MoveRecordLike, type MoveStepLike, type GtidsAtRiskLike,
} from './report.js';
