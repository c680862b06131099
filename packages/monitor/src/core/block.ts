// What may hold an automatic writer move back besides the release gate: the anti-flapping block (no
// second automatic failover within monitor.failover_block of one, or after a failover a hook aborted,
// unless acknowledged with `mmm-control ack`), and the shell's hook step (MHA's stop/shutdown scripts
// run before anything is promoted). Pure: the shell keeps the block, feeds it back as an observation
// and persists it in the status file (docs/hooks.md, "Anti-flapping").
import type { CoreConfig } from './config.js';
import type { Draft } from './draft.js';
import type { CoreEvent, DetectionCode, FailoverBlock, FailoverRecord, Observations, Outcome } from './types.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** When a block ends by itself; null: only `mmm-control ack` ends it (a failover a hook aborted). */
export function blockUntil(b: FailoverBlock, cfg: Pick<CoreConfig, 'failoverBlockMs'>): number | null {
  return b.kind === 'hook_abort' ? null : b.at + cfg.failoverBlockMs;
}

/** The block still in force at `now`, or null (expired, or failover_block is 0 for a failover block). */
export function activeBlock(b: FailoverBlock | null | undefined, now: number, cfg: Pick<CoreConfig, 'failoverBlockMs'>): FailoverBlock | null {
  if (b === null || b === undefined) return null;
  if (b.kind === 'failover' && cfg.failoverBlockMs <= 0) return null;
  const until = blockUntil(b, cfg);
  return until === null || now < until ? b : null;
}

/** The sentence of a block in force: when it ends, why, and the command that lifts it. */
export function blockSentence(b: FailoverBlock, cfg: Pick<CoreConfig, 'failoverBlockMs'>): string {
  const until = blockUntil(b, cfg);
  return until === null
    ? `automatic failover blocked after the failover a hook aborted at ${iso(b.at)}: run \`mmm-control ack\` to allow one`
    : `automatic failover blocked until ${iso(until)} after the failover at ${iso(b.at)}: run \`mmm-control ack\` to allow one`;
}

/** Called where an automatic failover would start: the FAILOVER_BLOCKED outcome while a block holds, else null. */
export function failoverBlockedOutcome(obs: Observations, now: number, cfg: Pick<CoreConfig, 'failoverBlockMs'>, detection: DetectionCode, writer: string): Outcome | null {
  const b = activeBlock(obs.failoverBlock, now, cfg);
  // set_offline of the writer is the operator's own move: never held back.
  if (b === null || detection === 'WRITER_ADMIN_OFFLINE') return null;
  return {
    code: 'FAILOVER_BLOCKED',
    sentence: `writer ${writer || 'none'} lost the writer role (${detection}) but ${blockSentence(b, cfg)}`,
    detection,
    block: b.kind === 'hook_abort' ? 'HOOK_ABORTED' : 'RECENT_FAILOVER',
  };
}

/** The block after one tick (`outcome` is the tick's): an automatic failover promoted this tick starts
 * one (not a set_offline of the writer, not a planned move); an expired one ends. */
export function blockAfterEvents(b: FailoverBlock | null, events: readonly CoreEvent[], outcome: Outcome, now: number, cfg: Pick<CoreConfig, 'failoverBlockMs'>): FailoverBlock | null {
  const promoted = events.some((e) => e.event === 'failover.step' && e.step === 'promoted' && e.id.startsWith('failover-'));
  if (promoted && outcome.detection !== 'WRITER_ADMIN_OFFLINE' && cfg.failoverBlockMs > 0) return { kind: 'failover', at: now };
  return activeBlock(b, now, cfg);
}

/** `mmm-control ack` (no host): lifts the block; the reply names what was acknowledged. */
export function ackFailoverBlock(b: FailoverBlock | null, now: number, cfg: Pick<CoreConfig, 'failoverBlockMs'>): { readonly block: null; readonly reply: string } {
  const active = activeBlock(b, now, cfg);
  if (active === null) return { block: null, reply: 'OK: No automatic failover is blocked; nothing to acknowledge.' };
  const what = active.kind === 'hook_abort' ? 'the failover a hook aborted' : 'the failover';
  return { block: null, reply: `OK: Acknowledged ${what} at ${iso(active.at)}: the next automatic failover may run.` };
}

/** Whether the shell runs hooks before this move is promoted (and the core waits for them). */
export function moveNeedsHooks(f: Pick<FailoverRecord, 'kind' | 'from'>, cfg: Pick<CoreConfig, 'moveHooks'>): boolean {
  if (f.from === '') return false;
  return f.kind === 'failover' ? cfg.moveHooks.failover : cfg.moveHooks.switchover;
}

export type HookGate =
  | { readonly kind: 'go' }
  | { readonly kind: 'wait'; readonly detail: string }
  | { readonly kind: 'abort'; readonly reason: string };

/** Has the shell run this move's stop hooks, and may the move go on? */
export function hookGate(f: FailoverRecord, obs: Observations, cfg: Pick<CoreConfig, 'moveHooks'>): HookGate {
  if (!moveNeedsHooks(f, cfg)) return { kind: 'go' };
  const h = obs.moveHooks;
  if (h === null || h === undefined || h.id !== f.id || h.status === 'running') {
    return { kind: 'wait', detail: `waiting for the ${f.kind === 'failover' ? 'stop/shutdown' : 'online change stop'} hooks before promoting anyone` };
  }
  return h.status === 'abort' ? { kind: 'abort', reason: h.reason } : { kind: 'go' };
}

/** The outcome while the hooks run. */
export function hookWaitOutcome(f: FailoverRecord, started: boolean, detail: string): Outcome {
  return started
    ? { code: 'FAILOVER_STARTED', sentence: `${f.detection}: writer ${f.from || 'none'} lost the writer role; ${detail}`, detection: f.detection, block: 'AWAITING_HOOKS' }
    : { code: 'FAILOVER_WAITING', sentence: `${f.detection}: ${detail}`, detection: f.detection, block: 'AWAITING_HOOKS' };
}

/** Ends an automatic failover a hook aborted: nobody is promoted, the writer role stays unassigned. */
export function abortFailoverByHook(d: Draft, f: FailoverRecord, reason: string): Outcome {
  d.failover = null;
  d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: `hook: ${reason}` });
  return {
    code: 'FAILOVER_BLOCKED',
    sentence: `failover from ${f.from} aborted by a hook (${reason}); the writer role stays unassigned: run \`mmm-control ack\` to allow an automatic failover, or move_role ${d.cfg.activeMasterRole} HOST`,
    detection: f.detection,
    block: 'HOOK_ABORTED',
  };
}
