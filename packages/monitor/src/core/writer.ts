// The writer's recovery, one exhaustive switch over the release gate: start a failover when the
// writer role is orphaned, wait for the old writer to release (or the fencing gate), then promote the
// chosen candidate. A planned move (move_role) runs the same path and is answered when it ends.
import type { Draft } from './draft.js';
import { assignRole, writerHolder } from './draft.js';
import { abortFailoverByHook, failoverBlockedOutcome, hookGate, hookWaitOutcome } from './block.js';
import {
  chooseWriterCandidate,
  detectWriterProblem,
  detectedEvent,
  failoverId,
  releaseGate,
  writerCandidateWhyNot,
  type WriterContext,
} from './failover.js';
import { beginPromotion, stepSwitchover, switchoverWhyNot } from './switchover.js';
import type { FailoverRecord, IntentResult, Observations, Outcome } from './types.js';

/** Which hosts get the release / promote commands this tick. */
export interface WriterPlan {
  readonly releaseHost: string | null;
  readonly releaseCritical: boolean;
  readonly promoteHost: string | null;
  readonly masterChanged: boolean;
}

export interface WriterStep {
  readonly plan: WriterPlan;
  readonly outcome: Outcome | null;
  readonly intentResults: readonly IntentResult[];
}

const NO_PLAN: WriterPlan = { releaseHost: null, releaseCritical: false, promoteHost: null, masterChanged: false };

function ctxOf(d: Draft, obs: Observations): WriterContext {
  return { cfg: d.cfg, hosts: d.hosts, obs, assignments: d.roles, now: d.now };
}

function releasePlan(f: FailoverRecord, d: Draft, obs: Observations): WriterPlan {
  if (f.from === '' || d.hosts[f.from] === undefined) return NO_PLAN;
  return { ...NO_PLAN, releaseHost: f.from, releaseCritical: obs.hosts[f.from]?.agent.reachable === true };
}

function moveText(f: FailoverRecord, to: string): string {
  return f.kind === 'forced_switchover'
    ? `OK: Role '%R' has been moved from '${f.from}' to '${to}' enforcedly. Now you can wait some time and check new roles info!`
    : `OK: Role '%R' has been moved from '${f.from}' to '${to}'. Now you can wait some time and check new roles info!`;
}

const o2s = (obs: Observations, h: string): string => obs.hosts[h]?.agent.lastError ?? 'its agent is not reachable';

/** Gives the writer back to the old writer after a failed planned move. */
function abortSwitchover(d: Draft, f: FailoverRecord, why: string): WriterStep {
  const ip = d.cfg.roles[d.cfg.activeMasterRole]?.ips[0];
  const back = d.hosts[f.from]?.state === 'ONLINE' && ip !== undefined;
  if (back) assignRole(d, d.cfg.activeMasterRole, ip, f.from);
  d.failover = null;
  d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: why });
  const keep = back ? ` Role '${d.cfg.activeMasterRole}' stays on '${f.from}'.` : '';
  const results: IntentResult[] = f.intentId === null ? [] : [{ id: f.intentId, ok: false, reply: `ERROR: ${why}.${keep}` }];
  return {
    plan: back ? { ...NO_PLAN, promoteHost: f.from } : NO_PLAN,
    outcome: { code: 'SWITCHOVER_ABORTED', sentence: `switchover of the writer from ${f.from} to ${f.to} aborted: ${why}.${keep}`, detection: f.detection },
    intentResults: results,
  };
}

/** Gives the writer role to `to` in this tick's draft and plans the promote command. */
function assignWriter(d: Draft, to: string, obs: Observations, f: FailoverRecord | null): WriterPlan {
  const ip = d.cfg.roles[d.cfg.activeMasterRole]?.ips[0] ?? '';
  assignRole(d, d.cfg.activeMasterRole, ip, to);
  const masterChanged = d.activeMaster !== to;
  d.activeMaster = to;
  d.failover = null;
  return { ...(f === null ? NO_PLAN : releasePlan(f, d, obs)), promoteHost: to, masterChanged };
}

/**
 * The writer role was already without a holder before this tick and no move is in progress: nothing
 * failed (first start, hosts still awaiting recovery), so this is placement, not a failover. The last
 * writer keeps the role when it is eligible (nothing to move, nothing to lose); with no last writer
 * the best candidate gets it. When the last writer is known but not eligible while another host is,
 * the move goes through the failover path, which makes the last writer release first.
 */
function placeOrphanedWriter(d: Draft, obs: Observations): WriterStep | 'failover' {
  const ctx = ctxOf(d, obs);
  const last = d.activeMaster;
  let to: string | null = null;
  if (last !== '' && writerCandidateWhyNot(last, ctx) === null) to = last;
  else if (last === '' || d.hosts[last] === undefined) to = chooseWriterCandidate(ctx, '').host;
  else if (chooseWriterCandidate(ctx, last).host !== null) return 'failover';
  if (to === null) return { plan: NO_PLAN, outcome: null, intentResults: [] };
  d.events.push({ event: 'role.moved', role: d.cfg.activeMasterRole, ip: d.cfg.roles[d.cfg.activeMasterRole]?.ips[0] ?? '', from: '', to });
  const plan = assignWriter(d, to, obs, null);
  return {
    plan,
    outcome: { code: 'WRITER_PROMOTED', sentence: `writer role placed on ${to} (it had no holder; ${to === last ? `${to} was the last writer` : 'no last writer known'})` },
    intentResults: [],
  };
}

/** One tick of writer recovery; a no-op while the writer role has a holder. */
export function stepWriter(d: Draft, obs: Observations, heldBefore: boolean): WriterStep {
  // A switchover past its release (promoting / rolling back) is switchover.ts's until it ends.
  const sw = d.failover === null ? null : stepSwitchover(d, obs, d.failover);
  if (sw !== null) return sw;
  const holder = writerHolder(d);
  if (holder !== '') {
    d.failover = null;
    if (d.activeMaster !== holder) d.activeMaster = holder;
    return { plan: NO_PLAN, outcome: null, intentResults: [] };
  }
  if (d.mode === 'PASSIVE' || d.cfg.roles[d.cfg.activeMasterRole] === undefined) {
    return { plan: NO_PLAN, outcome: null, intentResults: [] };
  }
  if (d.failover === null && !heldBefore) {
    const placed = placeOrphanedWriter(d, obs);
    if (placed !== 'failover') return placed;
  }
  const ctx = ctxOf(d, obs);
  let started = false;
  if (d.failover === null) {
    const detection = detectWriterProblem(d.activeMaster, ctx);
    // --- anti-flapping (block.ts): no automatic failover while a recent one's block holds ---
    const blocked = failoverBlockedOutcome(obs, d.now, d.cfg, detection, d.activeMaster);
    if (blocked !== null) return { plan: NO_PLAN, outcome: blocked, intentResults: [] };
    // --- end anti-flapping ---
    const choice = chooseWriterCandidate(ctx, d.activeMaster);
    const to = choice.host ?? '';
    d.failover = { id: failoverId('failover', d.activeMaster, to, d.now), kind: 'failover', detection, from: d.activeMaster, to, startedAt: d.now, intentId: null };
    d.events.push(detectedEvent(detection, d.activeMaster));
    d.events.push({ event: 'failover.step', id: d.failover.id, step: 'started', detail: `${detection}: writer role has no holder (was ${d.activeMaster || 'nobody'})` });
    started = true;
  }
  const f = d.failover;
  started = started || f.startedAt === d.now;
  if (f.kind === 'failover' && f.from !== '' && writerCandidateWhyNot(f.from, ctx) === null && chooseWriterCandidate(ctx, f.from).host === null) {
    // No other host can take the role, and the old writer is healthy again: it keeps the role.
    d.events.push({ event: 'failover.step', id: f.id, step: 'writer_returned', detail: `${f.from} is eligible again and no other candidate is` });
    return {
      plan: assignWriter(d, f.from, obs, null),
      outcome: { code: 'WRITER_PROMOTED', sentence: `${f.from} is back and keeps the writer role (no other eligible candidate)`, detection: f.detection },
      intentResults: [],
    };
  }
  // --- hooks (block.ts): the shell's stop hooks run, and allow the move, before anyone is promoted ---
  const hooks = hookGate(f, obs, d.cfg);
  if (hooks.kind === 'abort') {
    if (f.kind !== 'failover') return abortSwitchover(d, f, `Hook failed: ${hooks.reason}`);
    return { plan: NO_PLAN, outcome: abortFailoverByHook(d, f, hooks.reason), intentResults: [] };
  }
  if (hooks.kind === 'wait') return { plan: releasePlan(f, d, obs), outcome: hookWaitOutcome(f, started, hooks.detail), intentResults: [] };
  // --- end hooks ---
  const gate = releaseGate(f, ctx);
  if (f.kind !== 'failover' && (gate.kind === 'proceed_with_risk' || (gate.kind === 'wait' && gate.block === 'AWAITING_FENCING'))) {
    // A planned move never promotes over an old writer that did not confirm its release.
    return abortSwitchover(d, f, `'${f.from}' did not confirm that it released the writer role (${o2s(obs, f.from)})`);
  }
  switch (gate.kind) {
    case 'failed':
      if (f.kind !== 'failover') return abortSwitchover(d, f, `Demotion of '${f.from}' failed: ${gate.error}`);
      d.events.push({ event: 'failover.step', id: f.id, step: 'demotion_failed', detail: gate.error });
      return {
        plan: releasePlan(f, d, obs),
        outcome: { code: 'FAILOVER_BLOCKED', sentence: `failover blocked: demotion of ${f.from} failed (${gate.error}); the writer role stays unassigned until ${f.from} releases it or is fenced`, detection: f.detection, block: 'DEMOTION_FAILED' },
        intentResults: [],
      };
    case 'wait':
      return {
        plan: releasePlan(f, d, obs),
        outcome: started
          ? { code: 'FAILOVER_STARTED', sentence: `${f.detection}: writer ${f.from || 'none'} lost the writer role; ${gate.detail}`, detection: f.detection, block: gate.block }
          : { code: 'FAILOVER_WAITING', sentence: `${f.detection}: ${gate.detail}`, detection: f.detection, block: gate.block },
        intentResults: [],
      };
    case 'proceed_with_risk':
      d.events.push({ event: 'failover.split_brain_risk', id: f.id, host: f.from, detail: gate.detail });
      break;
    case 'released':
    case 'none':
      break;
  }
  let to: string | null;
  let rejected = '';
  if (f.kind === 'failover') {
    const choice = chooseWriterCandidate(ctx, f.from);
    to = choice.host;
    rejected = choice.rejected.map((r) => r.why).join('; ');
  } else {
    const why = switchoverWhyNot(f.to, ctx, f.kind === 'forced_switchover');
    if (why !== null) return abortSwitchover(d, f, `Can't move role '${d.cfg.activeMasterRole}' to '${f.to}': ${why}`);
    to = f.to;
  }
  if (to === null) {
    return {
      plan: { ...releasePlan(f, d, obs), releaseCritical: false },
      outcome: { code: 'FAILOVER_BLOCKED', sentence: `failover blocked: no eligible candidate for the writer role${rejected === '' ? '' : ` (${rejected})`}`, detection: f.detection, block: 'NO_ELIGIBLE_CANDIDATE' },
      intentResults: [],
    };
  }
  if (f.kind !== 'failover') return beginPromotion(d, f);
  const ip = d.cfg.roles[d.cfg.activeMasterRole]?.ips[0] ?? '';
  assignRole(d, d.cfg.activeMasterRole, ip, to);
  const masterChanged = d.activeMaster !== to;
  d.activeMaster = to;
  d.failover = null;
  const risk = gate.kind === 'proceed_with_risk' ? ` (risk: ${gate.detail})` : '';
  d.events.push({ event: 'failover.step', id: f.id, step: 'promoted', detail: `${to} gets the writer role${risk}` });
  const results: IntentResult[] = f.intentId === null ? [] : [{ id: f.intentId, ok: true, reply: moveText(f, to).replace('%R', d.cfg.activeMasterRole), afterCommands: true }];
  const what = f.kind === 'failover' ? `failover (${f.detection})` : f.kind === 'switchover' ? 'switchover' : 'forced switchover';
  return {
    plan: { ...releasePlan(f, d, obs), promoteHost: to, masterChanged },
    outcome: { code: 'WRITER_PROMOTED', sentence: `${what}: promoting ${to} to writer, was ${f.from || 'nobody'}${risk}`, detection: f.detection },
    intentResults: results,
  };
}
