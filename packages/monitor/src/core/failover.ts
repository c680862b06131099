// Writer recovery as detection then action: name why the writer role is orphaned (closed vocabulary),
// choose a candidate whose eligibility is a reason or null, and promote only once the old writer has
// released the role (or, when it cannot be told, once the fencing gate allows it).
import type { CoreConfig } from './config.js';
import { roleWeight } from './roles.js';
import type {
  BlockCode,
  CoreEvent,
  DetectionCode,
  FailoverRecord,
  HostRecord,
  Observations,
  RoleAssignment,
} from './types.js';

export interface WriterContext {
  readonly cfg: CoreConfig;
  readonly hosts: Readonly<Record<string, HostRecord>>;
  readonly obs: Observations;
  readonly assignments: readonly RoleAssignment[];
  readonly now: number;
}

/** Why `host` cannot become the writer now, or null when it can. `forced`: move_role --force. */
export function writerCandidateWhyNot(host: string, ctx: WriterContext, forced = false): string | null {
  const role = ctx.cfg.roles[ctx.cfg.activeMasterRole];
  if (role === undefined || !role.hosts.includes(host)) return `${host} cannot hold role ${ctx.cfg.activeMasterRole}`;
  const rec = ctx.hosts[host];
  const o = ctx.obs.hosts[host];
  if (rec === undefined || o === undefined) return `${host} has no observations`;
  const okStates = forced ? ['ONLINE', 'REPLICATION_FAIL', 'REPLICATION_DELAY'] : ['ONLINE'];
  if (!okStates.includes(rec.state)) return `${host} is ${rec.state}`;
  if (!o.agent.reachable) return `agent on ${host} is not reachable`;
  if (!forced && o.errant !== undefined && o.errant !== null && o.errant.length > 0) {
    return `${host} has errant transactions the other hosts do not have (${o.errant.join(', ')}): promoting it would replicate them everywhere (move_role --force overrides)`;
  }
  if (!forced && o.lacks !== undefined && o.lacks !== null && o.lacks.length > 0) {
    return `${host} lacks transactions other hosts have (${o.lacks.join(', ')}): promoting it would lose them (move_role --force overrides)`;
  }
  if (!forced && o.repCaughtUp !== true) {
    const lag = o.lagS === undefined || o.lagS === null ? 'lag unknown' : `lag ${o.lagS}s`;
    return `${host} has not applied all replication events (${lag})`;
  }
  return null;
}

export interface CandidateChoice {
  readonly host: string | null;
  readonly rejected: readonly { readonly host: string; readonly why: string }[];
}

/** The new writer: the role's `prefer` host if eligible, else the eligible host with the fewest roles. */
export function chooseWriterCandidate(ctx: WriterContext, exclude: string): CandidateChoice {
  const role = ctx.cfg.roles[ctx.cfg.activeMasterRole];
  const rejected: { host: string; why: string }[] = [];
  const eligible: string[] = [];
  for (const h of role?.hosts ?? []) {
    if (h === exclude) continue;
    const why = writerCandidateWhyNot(h, ctx);
    if (why === null) eligible.push(h);
    else rejected.push({ host: h, why });
  }
  const prefer = role?.prefer ?? null;
  if (prefer !== null && eligible.includes(prefer)) return { host: prefer, rejected };
  let best: string | null = null;
  for (const h of eligible) {
    if (best === null || roleWeight(ctx.assignments, h, ctx.cfg) < roleWeight(ctx.assignments, best, ctx.cfg)) best = h;
  }
  return { host: best, rejected };
}

/** Names why the writer role has no holder, from the old writer's state and its agent. */
export function detectWriterProblem(activeMaster: string, ctx: WriterContext): DetectionCode {
  if (activeMaster === '') return 'WRITER_MISSING';
  const rec = ctx.hosts[activeMaster];
  const o = ctx.obs.hosts[activeMaster];
  if (rec === undefined || o === undefined) return 'WRITER_MISSING';
  if (rec.state === 'ADMIN_OFFLINE') return 'WRITER_ADMIN_OFFLINE';
  return o.agent.reachable ? 'WRITER_UNREACHABLE_AGENT_UP' : 'WRITER_DEAD';
}

/** Whether an unreachable writer is still seen by a replica (second opinion): then it is not dead. */
export function replicasStillSeeWriter(writer: string, ctx: WriterContext): string | null {
  if (!ctx.cfg.secondaryCheck) return null;
  for (const h of ctx.cfg.hostNames) {
    if (h === writer) continue;
    const o = ctx.obs.hosts[h];
    if (o?.agent.reachable === true && o.seesWriter === 'ok') return h;
  }
  return null;
}

export type ReleaseGate =
  | { readonly kind: 'none' }
  | { readonly kind: 'released'; readonly viaAgent: boolean }
  | { readonly kind: 'proceed_with_risk'; readonly detail: string }
  | { readonly kind: 'wait'; readonly block: BlockCode; readonly detail: string }
  | { readonly kind: 'failed'; readonly error: string };

/** Has the old writer given the role up (or may we go on without it)? */
export function releaseGate(f: FailoverRecord, ctx: WriterContext): ReleaseGate {
  if (f.from === '' || f.from === f.to) return { kind: 'none' };
  const o = ctx.obs.hosts[f.from];
  if (o === undefined) return { kind: 'none' };
  const answered = o.agent.lastSetStatusAt !== undefined && o.agent.lastSetStatusAt >= f.startedAt;
  if (o.agent.reachable) {
    if (answered && o.agent.lastSetStatusOk === true) return { kind: 'released', viaAgent: true };
    if (answered && o.agent.lastSetStatusOk === false) {
      const error = o.agent.lastSetStatusError ?? 'unknown error';
      if (o.checks.mysql === 'fail' && f.kind === 'failover') {
        return { kind: 'proceed_with_risk', detail: `demotion of ${f.from} failed (${error}) but its MySQL is down` };
      }
      return { kind: 'failed', error };
    }
    return { kind: 'wait', block: 'AWAITING_RELEASE', detail: `waiting for ${f.from} to release the writer role` };
  }
  const fencing = ctx.cfg.fencing;
  if (o.fenced === true) return { kind: 'released', viaAgent: false };
  const hooks = ctx.obs.moveHooks;
  if (hooks !== undefined && hooks !== null && hooks.id === f.id && hooks.fencedOld === true) return { kind: 'released', viaAgent: false };
  switch (fencing.mode) {
    case 'none':
      return { kind: 'proceed_with_risk', detail: `agent on ${f.from} is not reachable and no fencing is configured: ${f.from} may still accept writes` };
    case 'wait':
      if (ctx.now - f.startedAt >= fencing.waitMs) {
        return { kind: 'proceed_with_risk', detail: `agent on ${f.from} unreachable; fencing wait of ${fencing.waitMs}ms elapsed` };
      }
      return { kind: 'wait', block: 'AWAITING_FENCING', detail: `waiting ${fencing.waitMs - (ctx.now - f.startedAt)}ms more before promoting (old writer ${f.from} unreachable)` };
    case 'lease': {
      // The agent fences itself when its lease runs out without renewal; the lease was last renewed
      // no later than the last confirmed SET_STATUS (or, unknown, the start of this failover).
      const from = o.agent.leaseRenewedAt ?? f.startedAt;
      const left = from + fencing.waitMs - ctx.now;
      if (left > 0) {
        return { kind: 'wait', block: 'AWAITING_FENCING', detail: `agent on ${f.from} unreachable: waiting ${left}ms for its writer lease to run out (it then fences itself) before promoting` };
      }
      const quorum = fencing.quorumMarginMs ?? null;
      if (quorum === null) {
        return { kind: 'proceed_with_risk', detail: `agent on ${f.from} unreachable; its writer lease ran out ${-left + fencing.waitMs}ms after the last renewal, so it has fenced itself unless its agent is down too` };
      }
      return denialGate(f.from, ctx, quorum);
    }
    case 'require':
      return { kind: 'wait', block: 'AWAITING_FENCING', detail: `waiting for ${f.from} to be fenced` };
  }
}

/** After the lease: the old writer fences only once enough agents deny it that it has no backing majority. */
function denialGate(from: string, ctx: WriterContext, marginMs: number): ReleaseGate {
  const d = ctx.obs.writerDenial;
  const q = d !== undefined && d !== null && d.host === from ? d : null;
  const who = q === null || q.denying.length === 0 ? 'none yet' : q.denying.join(', ');
  if (q === null || q.quorumAt === null) {
    return {
      kind: 'wait', block: 'AWAITING_FENCING',
      detail: `agent on ${from} unreachable and its writer lease ran out, but ${q?.needed ?? 'enough'} other agents must say they cannot reach its MySQL before it can be taken as fenced (denying: ${who}); while agents still reach it, it keeps the role on their backing`,
    };
  }
  const left = q.quorumAt + marginMs - ctx.now;
  if (left > 0) return { kind: 'wait', block: 'AWAITING_FENCING', detail: `${who} cannot reach ${from}: waiting ${left}ms for it to fence itself before promoting` };
  return { kind: 'proceed_with_risk', detail: `agent on ${from} unreachable; its writer lease ran out and ${who} cannot reach it, so it has fenced itself unless its agent is down too` };
}

/** A failover id that is stable for the same start (no randomness in the core). */
export function failoverId(kind: string, from: string, to: string, now: number): string {
  return `${kind}-${now}-${from || 'none'}-${to || 'none'}`;
}

export function detectedEvent(detection: DetectionCode, host: string): CoreEvent {
  return { event: 'failover.detected', detection, host };
}
