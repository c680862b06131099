// A planned writer move (move_role writer HOST) beyond the generic release gate: which targets are
// refused (with the reason, before anything changes), and the two phases after the old writer has
// released: 'promoting' (the target was sent the writer role; its agent's answer confirms it) and
// 'rolling_back' (the promotion failed: the old writer, healthy and only made read-only, gets the role
// back). The move_role intent is answered only when one of them ends, so the reply says what happened.
import { errantGtids, parseMariaGtidList } from '@mmm-ts/protocol/mysql';
import type { Draft } from './draft.js';
import { assignRole, writerHolder } from './draft.js';
import { releaseGate, type WriterContext } from './failover.js';
import type { FailoverRecord, IntentResult, Observations } from './types.js';
import type { WriterPlan, WriterStep } from './writer.js';

/**
 * The most replication lag (Seconds_Behind_Master) a switchover target may have. The old writer is
 * read-only until the target has applied everything, so its backlog is the least the write-unavailable
 * window costs; the goal is a window under 250 ms. Seconds_Behind_Master is whole seconds from event
 * timestamps, so a replica a few ms behind can read 1: 1 is the tightest bound that is not noise.
 */
export const SWITCHOVER_MAX_LAG_S = 1;

const NO_PLAN: WriterPlan = { releaseHost: null, releaseCritical: false, promoteHost: null, masterChanged: false };

/** Why `host` cannot take the writer role by a planned switchover now, or null when it can.
 * `forced` (move_role --force) accepts REPLICATION_FAIL/DELAY and skips the replication-content checks;
 * the agent's sync_with_master still never opens writes on a host that lacks the old writer's data. */
export function switchoverWhyNot(host: string, ctx: WriterContext, forced: boolean): string | null {
  const role = ctx.cfg.roles[ctx.cfg.activeMasterRole];
  if (role === undefined || !role.hosts.includes(host)) return `${host} cannot hold role ${ctx.cfg.activeMasterRole}`;
  const rec = ctx.hosts[host];
  const o = ctx.obs.hosts[host];
  if (rec === undefined || o === undefined) return `${host} has no observations`;
  const okStates = forced ? ['ONLINE', 'REPLICATION_FAIL', 'REPLICATION_DELAY'] : ['ONLINE'];
  if (!okStates.includes(rec.state)) return `${host} is ${rec.state}`;
  if (!o.agent.reachable) return `agent on ${host} is not reachable`;
  if (forced) return null;
  const r = o.replication;
  if (r !== undefined && r !== null && (!r.ioRunning || !r.sqlRunning)) {
    const broken = [r.ioRunning ? '' : 'IO thread not running', r.sqlRunning ? '' : 'SQL thread stopped'].filter((x) => x !== '').join(', ');
    return `replication on ${host} is broken (${broken}${r.lastError === '' ? '' : `: ${r.lastError}`}), so it cannot apply what the writer committed (move_role --force overrides)`;
  }
  if (o.errant !== undefined && o.errant !== null && o.errant.length > 0) {
    return `${host} has errant transactions the current writer does not have (${o.errant.join(', ')}); promoting it would replicate them everywhere (move_role --force overrides)`;
  }
  // No `lacks` check here (it guards failovers): the old writer is alive, its position covers every
  // replica's, and the target's sync_with_master waits for it. Under continuous writes the replicas'
  // positions are read at different moments, so one replica can look ahead of the target: a CI run
  // refused a healthy switchover that way.
  const lag = o.lagS ?? null;
  if (lag !== null && lag > SWITCHOVER_MAX_LAG_S) {
    return `${host} has not applied all replication events (lag ${lag}s, a switchover accepts at most ${SWITCHOVER_MAX_LAG_S}s) (move_role --force overrides)`;
  }
  if (lag === null && o.repCaughtUp !== true) return `${host} has not applied all replication events (lag unknown) (move_role --force overrides)`;
  return null;
}

/**
 * Errant transactions: GTIDs in `applied` (a host's gtid_current_pos) that none of `explainers` (the
 * writer's positions, what the host received from its source) accounts for: a local write on a
 * replica. Positions are read at different moments, so a GTID merely newer than the writer's last read
 * is normal under load: only GTIDs from a server id none of the explainers carries count (sound, not
 * complete). [] none; null unknown (nothing to compare, or not MariaDB GTID lists).
 */
export function errantAgainst(applied: string | null | undefined, explainers: readonly (string | null | undefined)[]): string[] | null {
  const theirs = explainers.filter((g): g is string => typeof g === 'string' && g !== '');
  if (applied === null || applied === undefined || theirs.length === 0) return null;
  const found = errantGtids(applied, theirs);
  if (found === null) return null;
  const servers = new Set(theirs.flatMap((t) => (parseMariaGtidList(t) ?? []).map((g) => g.server)));
  return found.filter((g) => !servers.has(Number(g.split('-')[1])));
}

/** Transport errors that prove the request never reached the agent (connect refused or impossible). */
const NOT_DELIVERED = /^(CONNECT_REFUSED|UNREACHABLE|CONNECT_TIMEOUT)\b/;

function moveText(f: FailoverRecord, role: string): string {
  const how = f.kind === 'forced_switchover' ? ' enforcedly' : '';
  return `OK: Role '${role}' has been moved from '${f.from}' to '${f.to}'${how}. Now you can wait some time and check new roles info!`;
}

const reply = (f: FailoverRecord, ok: boolean, text: string): IntentResult[] => (f.intentId === null ? [] : [{ id: f.intentId, ok, reply: text }]);

/** The release is confirmed: give the target the role; the answer waits for its agent's reply. */
export function beginPromotion(d: Draft, f: FailoverRecord): WriterStep {
  const ip = d.cfg.roles[d.cfg.activeMasterRole]?.ips[0] ?? '';
  assignRole(d, d.cfg.activeMasterRole, ip, f.to);
  const masterChanged = d.activeMaster !== f.to;
  d.activeMaster = f.to;
  d.failover = { ...f, phase: 'promoting', phaseAt: d.now };
  d.events.push({ event: 'failover.step', id: f.id, step: 'promoting', detail: `${f.to} is sent the writer role (sync_with_master, then writable, VIP and ARP)` });
  const what = f.kind === 'forced_switchover' ? 'forced switchover' : 'switchover';
  return {
    plan: { ...NO_PLAN, promoteHost: f.to, masterChanged },
    outcome: { code: 'WRITER_PROMOTED', sentence: `${what}: ${f.from} released the writer role, promoting ${f.to}`, detection: f.detection },
    intentResults: [],
  };
}

/** Gives the writer role back to the old writer after a failed promotion (phase 'rolling_back'). */
function rollBack(d: Draft, f: FailoverRecord, why: string, risk: string | null): WriterStep {
  const role = d.cfg.activeMasterRole;
  const ip = d.cfg.roles[role]?.ips[0] ?? '';
  if (risk !== null) d.events.push({ event: 'failover.split_brain_risk', id: f.id, host: f.to, detail: risk });
  const riskText = risk === null ? '' : ` (risk: ${risk})`;
  if (d.hosts[f.from]?.state !== 'ONLINE' || ip === '') {
    // The old writer failed meanwhile: nothing to give back; the orphaned writer role is now a failover.
    assignRole(d, role, ip, '');
    d.activeMaster = f.from;
    d.failover = null;
    const sentence = `switchover of the writer from ${f.from} to ${f.to} failed: ${why}; ${f.from} is ${d.hosts[f.from]?.state ?? 'unknown'} and cannot get the role back${riskText}`;
    d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: sentence });
    return {
      plan: NO_PLAN,
      outcome: { code: 'SWITCHOVER_ABORTED', sentence, detection: f.detection },
      intentResults: reply(f, false, `ERROR: Switchover of role '${role}' from '${f.from}' to '${f.to}' failed: ${why}. It could not be rolled back: '${f.from}' is ${d.hosts[f.from]?.state ?? 'unknown'}; the writer role is unassigned.`),
    };
  }
  assignRole(d, role, ip, f.from);
  d.activeMaster = f.from;
  d.failover = { ...f, phase: 'rolling_back', phaseAt: d.now, why };
  d.events.push({ event: 'failover.step', id: f.id, step: 'rolling_back', detail: `${why}; ${f.from} gets the writer role back${riskText}` });
  return {
    plan: { ...NO_PLAN, promoteHost: f.from, masterChanged: true },
    outcome: { code: 'SWITCHOVER_ABORTED', sentence: `switchover of the writer from ${f.from} to ${f.to} failed: ${why}; rolling back: ${f.from} gets the writer role back${riskText}`, detection: f.detection },
    intentResults: [],
  };
}

function promoting(d: Draft, obs: Observations, f: FailoverRecord, ctx: WriterContext): WriterStep {
  const o = obs.hosts[f.to];
  const at = f.phaseAt ?? f.startedAt;
  if (writerHolder(d) !== f.to) return rollBack(d, f, `'${f.to}' lost the writer role while being promoted (it is ${d.hosts[f.to]?.state ?? 'unknown'})`, null);
  const answered = o?.agent.lastSetStatusAt !== undefined && o.agent.lastSetStatusAt >= at;
  if (o !== undefined && answered && o.agent.lastSetStatusOk === true) {
    d.failover = null;
    d.events.push({ event: 'failover.step', id: f.id, step: 'promoted', detail: `${f.to} gets the writer role (its agent confirmed: caught up, writable, VIP up)` });
    return {
      plan: NO_PLAN,
      outcome: { code: 'WRITER_PROMOTED', sentence: `${f.kind === 'forced_switchover' ? 'forced switchover' : 'switchover'}: ${f.to} is the writer, was ${f.from}`, detection: f.detection },
      intentResults: reply(f, true, moveText(f, d.cfg.activeMasterRole)),
    };
  }
  if (o !== undefined && answered) {
    const error = o.agent.lastSetStatusError ?? 'unknown error';
    // An agent that answers took its VIP back and kept read_only (role-actions addRole); a request
    // that never arrived changed nothing: both are safe to roll back at once.
    if (o.agent.reachable || NOT_DELIVERED.test(error)) return rollBack(d, f, `promotion of '${f.to}' failed: ${error}`, null);
    // Sent but unanswered: the target may hold the VIP and be writable. Treat it like an unreachable
    // old writer: the cluster's fencing gate decides when the role may go back.
    const gate = releaseGate({ ...f, kind: 'switchover', from: f.to, to: f.from, startedAt: at }, ctx);
    const why = `promotion of '${f.to}' got no answer: ${error}`;
    if (gate.kind === 'released' || gate.kind === 'none') return rollBack(d, f, why, null);
    if (gate.kind === 'proceed_with_risk') return rollBack(d, f, why, gate.detail);
    if (gate.kind === 'failed') return rollBack(d, f, `promotion of '${f.to}' failed: ${gate.error}`, null);
    return {
      plan: NO_PLAN,
      outcome: { code: 'FAILOVER_WAITING', sentence: `switchover to ${f.to}: ${why}; ${gate.detail}`, detection: f.detection, block: gate.block },
      intentResults: [],
    };
  }
  return {
    plan: { ...NO_PLAN, promoteHost: f.to },
    outcome: { code: 'FAILOVER_WAITING', sentence: `switchover: waiting for ${f.to} to confirm the writer role`, detection: f.detection },
    intentResults: [],
  };
}

function rollingBack(d: Draft, obs: Observations, f: FailoverRecord): WriterStep {
  const role = d.cfg.activeMasterRole;
  const o = obs.hosts[f.from];
  const at = f.phaseAt ?? f.startedAt;
  const why = f.why ?? 'unknown error';
  const answered = o?.agent.lastSetStatusAt !== undefined && o.agent.lastSetStatusAt >= at;
  if (o === undefined || !answered) {
    return {
      plan: { ...NO_PLAN, promoteHost: f.from },
      outcome: { code: 'SWITCHOVER_ABORTED', sentence: `switchover to ${f.to} failed (${why}); waiting for ${f.from} to take the writer role back`, detection: f.detection },
      intentResults: [],
    };
  }
  d.failover = null;
  if (o.agent.lastSetStatusOk === true) {
    const sentence = `switchover of the writer from ${f.from} to ${f.to} rolled back: ${why}; ${f.from} is the writer again`;
    d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: `rolled back: ${f.from} is the writer again` });
    return {
      plan: NO_PLAN,
      outcome: { code: 'SWITCHOVER_ABORTED', sentence, detection: f.detection },
      intentResults: reply(f, false, `ERROR: Switchover of role '${role}' from '${f.from}' to '${f.to}' failed and was rolled back: ${why}. Role '${role}' is on '${f.from}' again.`),
    };
  }
  const error = o.agent.lastSetStatusError ?? 'unknown error';
  const sentence = `switchover of the writer from ${f.from} to ${f.to} failed: ${why}; giving the role back to ${f.from} failed too: ${error}`;
  d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: `rollback to ${f.from} failed: ${error}` });
  return {
    plan: NO_PLAN,
    outcome: { code: 'SWITCHOVER_ABORTED', sentence, detection: f.detection },
    intentResults: reply(f, false, `ERROR: Switchover of role '${role}' from '${f.from}' to '${f.to}' failed: ${why}. Giving role '${role}' back to '${f.from}' failed too: ${error}. The monitor keeps retrying; check \`mmm-control show\`.`),
  };
}

/** One tick of a switchover past the release (phase set), or null when `f` is not in those phases. */
export function stepSwitchover(d: Draft, obs: Observations, f: FailoverRecord): WriterStep | null {
  if (f.kind === 'failover' || f.phase === undefined) return null;
  if (d.mode === 'PASSIVE') {
    // Nothing is sent in passive mode: the move cannot go on; the roles stay as the model has them.
    d.failover = null;
    const sentence = `switchover of the writer from ${f.from} to ${f.to} interrupted by passive mode (${f.phase})`;
    d.events.push({ event: 'failover.step', id: f.id, step: 'aborted', detail: sentence });
    return { plan: NO_PLAN, outcome: { code: 'SWITCHOVER_ABORTED', sentence, detection: f.detection }, intentResults: reply(f, false, `ERROR: The switchover was interrupted: the monitor was switched to passive mode while ${f.phase === 'promoting' ? `'${f.to}' was being promoted` : `the writer role was given back to '${f.from}'`}.`) };
  }
  const ctx: WriterContext = { cfg: d.cfg, hosts: d.hosts, obs, assignments: d.roles, now: d.now };
  return f.phase === 'promoting' ? promoting(d, obs, f, ctx) : rollingBack(d, obs, f);
}

