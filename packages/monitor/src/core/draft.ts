// The working copy of MonitorState inside one decide() call: copied from the input at the start,
// changed through these helpers only (so every state change emits its event), frozen at the end.
import type { CoreConfig } from './config.js';
import type { CoreEvent, FailoverRecord, HostRecord, HostState, Mode, MonitorState, RoleAssignment } from './types.js';

export interface Draft {
  mode: Mode;
  modeSince: number;
  passiveReason: string;
  hosts: Record<string, HostRecord>;
  roles: RoleAssignment[];
  activeMaster: string;
  failover: FailoverRecord | null;
  readonly events: CoreEvent[];
  readonly now: number;
  readonly cfg: CoreConfig;
}

export function draftOf(s: MonitorState, now: number, cfg: CoreConfig): Draft {
  return {
    mode: s.mode,
    modeSince: s.modeSince,
    passiveReason: s.passiveReason,
    hosts: { ...s.hosts },
    roles: [...s.roles],
    activeMaster: s.activeMaster,
    failover: s.failover,
    events: [],
    now,
    cfg,
  };
}

/** Freezes the draft into the next MonitorState. */
export function freezeDraft(d: Draft): MonitorState {
  const hosts: Record<string, HostRecord> = {};
  for (const [k, v] of Object.entries(d.hosts)) hosts[k] = Object.freeze({ ...v, drops: Object.freeze([...v.drops]) });
  return Object.freeze({
    mode: d.mode,
    modeSince: d.modeSince,
    passiveReason: d.passiveReason,
    hosts: Object.freeze(hosts),
    roles: Object.freeze(d.roles.map((r) => Object.freeze({ ...r }))),
    activeMaster: d.activeMaster,
    failover: d.failover === null ? null : Object.freeze({ ...d.failover }),
  });
}

/** The one setter of a host's state: keeps onlineSince, the flap history and the event in step. */
export function setHostState(d: Draft, host: string, to: HostState, reason: string): void {
  const rec = d.hosts[host];
  if (rec === undefined || rec.state === to) return;
  let { drops, flapping, uptimeAtDownS } = rec;
  if (rec.state === 'ONLINE') {
    drops = [...drops.filter((t) => d.now - t < d.cfg.flapDurationMs), d.now];
    uptimeAtDownS = rec.uptimeS;
    if (!flapping && drops.length > d.cfg.flapCount) {
      flapping = true;
      d.events.push({ event: 'host.flapping', host, drops: drops.length });
    }
  }
  d.hosts[host] = {
    ...rec,
    state: to,
    since: d.now,
    onlineSince: to === 'ONLINE' ? d.now : null,
    drops,
    flapping,
    uptimeAtDownS,
  };
  d.events.push({ event: 'host.state_changed', host, from: rec.state, to, reason });
}

/** The one setter of the mode. */
export function setMode(d: Draft, to: Mode, reason: string): void {
  if (d.mode === to) return;
  d.events.push({ event: 'mode.changed', from: d.mode, to, reason });
  d.mode = to;
  d.modeSince = d.now;
  if (to !== 'PASSIVE') d.passiveReason = '';
}

/** Assigns one role IP (host '' = orphan it), emitting role.moved. */
export function assignRole(d: Draft, role: string, ip: string, host: string): void {
  const i = d.roles.findIndex((a) => a.role === role && a.ip === ip);
  const a = d.roles[i];
  if (a === undefined || a.host === host) return;
  d.events.push({ event: 'role.moved', role, ip, from: a.host, to: host });
  d.roles[i] = { ...a, host };
}

/** Orphans every role of a host (optionally only the ones `which` selects). */
export function clearHostRoles(d: Draft, host: string, which: (role: string) => boolean = () => true): void {
  for (const a of [...d.roles]) if (a.host === host && which(a.role)) assignRole(d, a.role, a.ip, '');
}

/** The host holding the writer role IP, '' when orphaned. */
export function writerHolder(d: { readonly roles: readonly RoleAssignment[]; readonly cfg: CoreConfig }): string {
  return d.roles.find((a) => a.role === d.cfg.activeMasterRole)?.host ?? '';
}

/** A fresh record for a host in `state` (startup, tests). */
export function newHostRecord(state: HostState, now: number): HostRecord {
  return {
    state,
    since: now,
    onlineSince: state === 'ONLINE' ? now : null,
    uptimeS: null,
    uptimeAtDownS: null,
    drops: [],
    flapping: false,
    agentDown: false,
  };
}

/** Every configured role IP, unassigned, in config order. */
export function emptyAssignments(cfg: CoreConfig): RoleAssignment[] {
  const out: RoleAssignment[] = [];
  for (const name of cfg.roleNames) for (const ip of cfg.roles[name]?.ips ?? []) out.push({ role: name, ip, host: '' });
  return out;
}

/** A MonitorState with every host in `state` and no roles (before startup; tests). */
export function initialState(cfg: CoreConfig, now: number, state: HostState = 'UNKNOWN'): MonitorState {
  const hosts: Record<string, HostRecord> = {};
  for (const h of cfg.hostNames) hosts[h] = newHostRecord(state, now);
  return freezeDraft({
    ...draftOf(
      { mode: cfg.initialMode, modeSince: now, passiveReason: '', hosts, roles: emptyAssignments(cfg), activeMaster: '', failover: null },
      now,
      cfg,
    ),
  });
}
