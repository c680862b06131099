// Operator commands queued by the control listener, applied to the draft at the start of a tick and
// answered with mmm_control's exact texts where MMM has one. A writer move_role is not answered here:
// it starts a switchover that decide() answers when the new writer is promoted or the move aborts.
import type { Draft } from './draft.js';
import { assignRole, clearHostRoles, setHostState, setMode } from './draft.js';
import { failoverId, type WriterContext } from './failover.js';
import { switchoverWhyNot } from './switchover.js';
import type { Intent, IntentResult, Mode, Observations } from './types.js';

const reply = (id: string, text: string): IntentResult => ({ id, ok: text.startsWith('OK'), reply: text });

const FROZEN = "ERROR: The monitor's own network check is failing; state changes are frozen until it recovers.";

function ctxOf(d: Draft, obs: Observations): WriterContext {
  return { cfg: d.cfg, hosts: d.hosts, obs, assignments: d.roles, now: d.now };
}

/** Applies one intent; returns its answer, or null when the answer comes later (writer switchover). */
export function applyIntent(d: Draft, intent: Intent, obs: Observations): IntentResult | null {
  const id = intent.id;
  if (!obs.monitorNetworkOk && intent.kind !== 'set_mode') return reply(id, FROZEN);
  switch (intent.kind) {
    case 'set_mode':
      return reply(id, applyMode(d, intent.mode));
    case 'ack': {
      const rec = d.hosts[intent.host];
      if (rec === undefined) return reply(id, `ERROR: Unknown host name '${intent.host}'!`);
      d.hosts[intent.host] = { ...rec, flapping: false, drops: [] };
      return reply(id, `OK: Acknowledged host '${intent.host}': flapping history cleared.`);
    }
    case 'set_online':
      return reply(id, setOnline(d, intent.host, obs));
    case 'set_offline':
      return reply(id, setOffline(d, intent.host, obs));
    case 'set_ip':
      return reply(id, setIp(d, intent.ip, intent.host));
    case 'move_role':
      return moveRole(d, intent, obs);
  }
}

function applyMode(d: Draft, mode: Mode): string {
  const names: Record<Mode, string> = { ACTIVE: 'active', MANUAL: 'manual', WAIT: 'wait', PASSIVE: 'passive' };
  const already = mode === 'MANUAL' ? d.mode === 'MANUAL' || d.mode === 'WAIT' : d.mode === mode;
  if (already) return `OK: Already in ${names[mode]} mode.`;
  if (mode === 'ACTIVE' && (d.mode === 'MANUAL' || d.mode === 'WAIT')) {
    for (const h of d.cfg.hostNames) if (d.hosts[h]?.state !== 'ONLINE') clearHostRoles(d, h);
  }
  setMode(d, mode, 'operator');
  if (mode === 'PASSIVE') d.passiveReason = 'Admin switched to passive mode.';
  return `OK: Switched into ${names[mode]} mode.`;
}

function setOnline(d: Draft, host: string, obs: Observations): string {
  const rec = d.hosts[host];
  const o = obs.hosts[host];
  if (rec === undefined || o === undefined) return `ERROR: Unknown host name '${host}'!`;
  if (rec.state === 'ONLINE') return 'OK: This host is already ONLINE. Skipping command.';
  if (rec.state !== 'ADMIN_OFFLINE' && rec.state !== 'AWAITING_RECOVERY') {
    return `ERROR: Host '${host}' is '${rec.state}' at the moment. It can't be switched to ONLINE.`;
  }
  if (o.checks.ping !== 'ok' || o.checks.mysql !== 'ok') {
    return `ERROR: Checks ping and/or mysql are not ok for host '${host}'. It can't be switched to ONLINE.`;
  }
  const peer = d.cfg.hosts[host]?.peer ?? null;
  const po = peer === null ? undefined : obs.hosts[peer];
  if (peer !== null && d.hosts[peer]?.state === 'ONLINE' && (po?.checks.repThreads === 'fail' || po?.checks.repBacklog === 'fail')) {
    return `ERROR: Some replication checks failed on peer '${peer}'. We can't set '${host}' online now. Please, wait some time.`;
  }
  if (!o.agent.reachable) return `ERROR: Can't reach agent daemon on '${host}'! Can't switch its state!`;
  setHostState(d, host, 'ONLINE', 'set_online by operator');
  const after = d.hosts[host];
  if (after !== undefined) d.hosts[host] = { ...after, flapping: false };
  return `OK: State of '${host}' changed to ONLINE. Now you can wait some time and check its new roles!`;
}

function setOffline(d: Draft, host: string, obs: Observations): string {
  const rec = d.hosts[host];
  const o = obs.hosts[host];
  if (rec === undefined || o === undefined) return `ERROR: Unknown host name '${host}'!`;
  if (rec.state === 'ADMIN_OFFLINE') return 'OK: This host is already ADMIN_OFFLINE. Skipping command.';
  if (rec.state !== 'ONLINE' && rec.state !== 'REPLICATION_FAIL' && rec.state !== 'REPLICATION_DELAY') {
    return `ERROR: Host '${host}' is '${rec.state}' at the moment. It can't be switched to ADMIN_OFFLINE.`;
  }
  if (!o.agent.reachable) return `ERROR: Can't reach agent daemon on '${host}'! Can't switch its state!`;
  setHostState(d, host, 'ADMIN_OFFLINE', 'set_offline by operator');
  clearHostRoles(d, host);
  return `OK: State of '${host}' changed to ADMIN_OFFLINE. Now you can wait some time and check all roles!`;
}

function setIp(d: Draft, ip: string, host: string): string {
  if (d.mode !== 'PASSIVE') return 'ERROR: This command is only allowed in passive mode';
  const a = d.roles.find((r) => r.ip === ip);
  if (a === undefined) return `ERROR: Unknown ip '${ip}'!`;
  const rec = d.hosts[host];
  if (rec === undefined) return `ERROR: Unknown host name '${host}'!`;
  const valid = d.cfg.roles[a.role]?.hosts ?? [];
  if (!valid.includes(host)) {
    return `ERROR: Host '${host}' can't handle role '${a.role}'. Following hosts could: ${valid.join(', ')}`;
  }
  if (rec.state !== 'ONLINE') {
    return `ERROR: Host '${host}' is '${rec.state}' at the moment. Can't move role with ip '${ip}' there.`;
  }
  assignRole(d, a.role, ip, host);
  if (a.role === d.cfg.activeMasterRole) d.activeMaster = host;
  return `OK: Set role '${a.role}(${ip})' to host '${host}'.`;
}

function moveRole(d: Draft, intent: Extract<Intent, { kind: 'move_role' }>, obs: Observations): IntentResult | null {
  const { id, role, host, force } = intent;
  const r = (t: string): IntentResult => reply(id, t);
  if (d.mode === 'PASSIVE') return r('ERROR: This command is not allowed in passive mode');
  const cfgRole = d.cfg.roles[role];
  if (cfgRole === undefined) return r(`ERROR: Unknown role name '${role}'!`);
  const rec = d.hosts[host];
  if (rec === undefined) return r(`ERROR: Unknown host name '${host}'!`);
  const isWriter = role === d.cfg.activeMasterRole;
  if (force && !isWriter) return r('ERROR: move_role --forced may be used for the active master role only!');
  if (!force && cfgRole.mode === 'balanced') {
    clearHostRoles(d, host, (x) => x === role);
    return r(`OK: Balanced role ${role} has been removed from host '${host}'. Now you can wait some time and check new roles info!`);
  }
  if (force && rec.state !== 'REPLICATION_FAIL' && rec.state !== 'REPLICATION_DELAY') {
    return r(`ERROR: Can't force move of role to host with state ${rec.state}.`);
  }
  if (!force && rec.state !== 'ONLINE') return r(`ERROR: Can't move role to host with state ${rec.state}.`);
  if (!cfgRole.hosts.includes(host)) {
    return r(`ERROR: Host '${host}' can't handle role '${role}'. Only following hosts could: ${cfgRole.hosts.join(', ')}`);
  }
  const ip = cfgRole.ips[0];
  const owner = d.roles.find((a) => a.role === role)?.host ?? '';
  if (owner === host) return r(`OK: Role is on '${host}' already. Skipping command.`);
  if (obs.hosts[host]?.agent.reachable !== true) return r(`ERROR: Can't reach agent daemon on '${host}'! Can't move roles there!`);
  if (!isWriter && d.mode === 'ACTIVE' && d.cfg.obeyPreferences && cfgRole.prefer !== null && owner === cfgRole.prefer) {
    return r(`ERROR: Role '${role}' is assigned to preferred host '${owner}'. Can't move it!`);
  }
  if (ip === undefined) return r(`Error: Role ${role} has no IP.`);
  if (!isWriter) {
    assignRole(d, role, ip, host);
    return r(`OK: Role '${role}' has been moved from '${owner}' to '${host}'. Now you can wait some time and check new roles info!`);
  }
  if (d.failover !== null) {
    return r(`ERROR: A writer move is already in progress ('${d.failover.from}' to '${d.failover.to}'). Try again when it has finished.`);
  }
  const why = switchoverWhyNot(host, ctxOf(d, obs), force);
  if (why !== null) return r(`ERROR: Can't move role '${role}' to '${host}': ${why}.`);
  if (owner !== '' && obs.hosts[owner]?.agent.reachable !== true) {
    return r(`ERROR: Can't reach agent daemon on '${owner}'! It holds role '${role}' and could not be told to release it.`);
  }
  const kind = force ? 'forced_switchover' : 'switchover';
  if (force) {
    setHostState(d, host, 'ONLINE', 'move_role --force');
    const old = obs.hosts[owner];
    if (owner !== '' && old !== undefined && d.mode === 'ACTIVE') {
      if (old.checks.repThreads === 'fail') setHostState(d, owner, 'REPLICATION_FAIL', 'move_role --force');
      else if (old.checks.repBacklog === 'fail') setHostState(d, owner, 'REPLICATION_DELAY', 'move_role --force');
    }
  }
  const from = owner === '' ? d.activeMaster : owner;
  assignRole(d, role, ip, '');
  d.failover = { id: failoverId(kind, from, host, d.now), kind, detection: 'PLANNED_SWITCHOVER', from, to: host, startedAt: d.now, intentId: id };
  d.events.push({ event: 'failover.step', id: d.failover.id, step: 'started', detail: `operator moves ${role} from ${from || 'nobody'} to ${host}` });
  return null;
}
