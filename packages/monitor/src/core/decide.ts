// The monitor's brain: one pure function of (state, observations, now, config) returning the next
// state, the SET_STATUS commands, exactly one outcome and the events. No I/O, no clock, no randomness.
import type { CoreConfig } from './config.js';
import { clearHostRoles, draftOf, freezeDraft, writerHolder, type Draft } from './draft.js';
import { recordAgents, stepHosts, stepWaitMode, type HeldWriter } from './host-step.js';
import { applyIntent } from './intents.js';
import { placeRoles } from './roles.js';
import { buildCommands } from './commands.js';
import { stepWriter } from './writer.js';
import type { DecideResult, IntentResult, MonitorState, Observations, Outcome } from './types.js';

/** One tick of the monitor: see docs/monitor-core.md for the order of the steps. */
export function decide(state: MonitorState, obs: Observations, now: number, cfg: CoreConfig): DecideResult {
  const d = draftOf(state, now, cfg);
  const intentResults: IntentResult[] = [];
  recordAgents(d, obs);
  for (const intent of obs.intents ?? []) {
    const r = applyIntent(d, intent, obs);
    if (r !== null) {
      intentResults.push(r);
      d.events.push({ event: 'intent.handled', id: r.id, kind: intent.kind, reply: r.reply });
    }
  }
  if (!obs.monitorNetworkOk) {
    return {
      state: freezeDraft(d),
      commands: [],
      outcome: { code: 'FROZEN_NETWORK', sentence: "frozen: the monitor's own network check (ping_ips) fails; no state changes, nothing sent to agents", detection: 'MONITOR_ISOLATED' },
      events: d.events,
      intentResults,
    };
  }
  const held = stepHosts(d, obs);
  stepWaitMode(d);
  if (d.mode === 'ACTIVE' || d.mode === 'PASSIVE') {
    for (const h of cfg.hostNames) if (d.hosts[h]?.state !== 'ONLINE') clearHostRoles(d, h);
  }
  const rolesBefore = state.roles;
  if (d.mode !== 'PASSIVE') {
    const eligible = (h: string): boolean => d.hosts[h]?.state === 'ONLINE' && obs.hosts[h]?.agent.reachable === true;
    const p = placeRoles(d.roles, eligible, cfg, { obeyPreferences: d.mode === 'ACTIVE' && cfg.obeyPreferences });
    d.roles = p.assignments;
    d.events.push(...p.events);
  }
  const heldBefore = state.roles.some((a) => a.role === cfg.activeMasterRole && a.host !== '');
  const w = stepWriter(d, obs, heldBefore);
  intentResults.push(...w.intentResults);
  for (const r of w.intentResults) d.events.push({ event: 'intent.handled', id: r.id, kind: 'move_role', reply: r.reply });
  const commands = buildCommands(d, rolesBefore, w.plan);
  const outcome = pickOutcome(d, obs, w.outcome, held);
  return { state: freezeDraft(d), commands, outcome, events: d.events, intentResults };
}

function warnings(d: Draft, obs: Observations): string[] {
  const out: string[] = [];
  const writer = writerHolder(d);
  if (writer !== '') {
    const o = obs.hosts[writer];
    const rec = d.hosts[writer];
    if (o !== undefined && !o.agent.reachable && o.checks.ping === 'ok' && o.checks.mysql === 'ok') {
      out.push(`writer ${writer}: agent not reachable but MySQL answers, no failover (WRITER_AGENT_DOWN)`);
    }
    if (rec !== undefined && rec.state !== 'ONLINE') out.push(`writer ${writer} is ${rec.state} and keeps its roles in ${d.mode} mode`);
  }
  for (const h of d.cfg.hostNames) {
    const a = obs.hosts[h]?.agent;
    if (a?.lastSetStatusOk === false) out.push(`${h} rejected SET_STATUS: ${a.lastSetStatusError ?? 'unknown error'}`);
  }
  return out;
}

function summary(d: Draft): string {
  const writer = writerHolder(d);
  const online = d.cfg.hostNames.filter((h) => d.hosts[h]?.state === 'ONLINE').length;
  const w = writer === '' ? 'there is no writer' : `${writer} is the writer`;
  return `${w}, ${online} host${online === 1 ? '' : 's'} ONLINE`;
}

/** Exactly one outcome per tick, the most important thing that happened; warnings ride along. */
function pickOutcome(d: Draft, obs: Observations, writer: Outcome | null, held: HeldWriter | null): Outcome {
  const warn = warnings(d, obs);
  const tail = warn.length === 0 ? '' : `; warning: ${warn.join('; ')}`;
  const withTail = (o: Outcome): Outcome => ({ ...o, sentence: o.sentence + tail });
  if (writer !== null) return withTail(writer);
  if (held !== null) {
    return withTail({
      code: 'FAILOVER_BLOCKED',
      sentence: `writer ${held.host} fails the monitor's checks, but ${held.seenBy} still reaches it (second opinion): the monitor's own path to it is suspect; not failing over`,
      detection: 'WRITER_UNREACHABLE',
      block: 'WRITER_STILL_SEEN_BY_REPLICAS',
    });
  }
  const changes = d.events.flatMap((e) => (e.event === 'host.state_changed' ? [`${e.host} ${e.from} -> ${e.to} (${e.reason})`] : []));
  if (changes.length > 0) return withTail({ code: 'HOST_STATE_CHANGED', sentence: `${changes.join('; ')}. ${summary(d)}` });
  const moves = d.events.flatMap((e) => (e.event === 'role.moved' ? [`${e.role}(${e.ip}) ${e.from || 'nobody'} -> ${e.to || 'nobody'}`] : []));
  if (moves.length > 0) return withTail({ code: 'ROLES_MOVED', sentence: `roles moved: ${moves.join(', ')}. ${summary(d)}` });
  const mode = d.events.find((e) => e.event === 'mode.changed');
  if (mode !== undefined && mode.event === 'mode.changed') {
    return withTail({ code: 'MODE_CHANGED', sentence: `mode changed from ${mode.from} to ${mode.to} (${mode.reason}). ${summary(d)}` });
  }
  if (d.events.some((e) => e.event === 'intent.handled')) {
    return withTail({ code: 'OPERATOR_COMMAND', sentence: `operator command answered, nothing changed. ${summary(d)}` });
  }
  if (d.mode === 'PASSIVE') {
    return withTail({ code: 'PASSIVE_MODE', sentence: `passive mode: nothing sent to agents (${d.passiveReason || 'no cause recorded'}). ${summary(d)}` });
  }
  const writerAgentDown = warn.some((w) => w.includes('WRITER_AGENT_DOWN'));
  if (writerAgentDown) return { code: 'WRITER_WARNING', sentence: `no failover. ${summary(d)}${tail}`, detection: 'WRITER_AGENT_DOWN' };
  if (warn.length > 0) {
    const failed = warn.some((w) => w.includes('rejected SET_STATUS'));
    return { code: failed ? 'SET_STATUS_FAILED' : 'WRITER_WARNING', sentence: `no action. ${summary(d)}${tail}` };
  }
  return { code: 'NO_ACTION', sentence: `no action. ${summary(d)}` };
}
