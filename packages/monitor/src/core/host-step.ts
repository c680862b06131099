// Applies MMM's state table to every host from one snapshot of the tick's start, and the WAIT-mode
// exit rule. The current writer's drop to HARD_OFFLINE is held when a replica still sees it (second
// opinion): the monitor's own path to it is what failed, so failing over would make two writers.
import type { Draft } from './draft.js';
import { setHostState, setMode } from './draft.js';
import { replicasStillSeeWriter } from './failover.js';
import { nextHostState, type TransitionInputs } from './state-table.js';
import type { HostRecord, Observations } from './types.js';

export interface HeldWriter {
  readonly host: string;
  readonly seenBy: string;
}

/** Records agent uptime and reachability before the table reads them. */
export function recordAgents(d: Draft, obs: Observations): void {
  for (const h of d.cfg.hostNames) {
    const rec = d.hosts[h];
    const o = obs.hosts[h];
    if (rec === undefined || o === undefined) continue;
    d.hosts[h] = { ...rec, uptimeS: o.agent.uptimeS ?? rec.uptimeS, agentDown: !o.agent.reachable };
  }
}

function inputsFor(h: string, snap: Readonly<Record<string, HostRecord>>, d: Draft, obs: Observations): TransitionInputs | null {
  const rec = snap[h];
  const o = obs.hosts[h];
  const hc = d.cfg.hosts[h];
  if (rec === undefined || o === undefined || hc === undefined) return null;
  const peer = hc.peer ?? (hc.mode === 'slave' && d.activeMaster !== '' ? d.activeMaster : null);
  const pr = peer === null ? undefined : snap[peer];
  const po = peer === null ? undefined : obs.hosts[peer];
  const peerOnline = pr?.state === 'ONLINE';
  const peerOk = peerOnline && po?.checks.ping === 'ok' && po.checks.mysql === 'ok';
  const peerRecent = peerOnline && pr?.onlineSince !== null && pr !== undefined && pr.onlineSince !== null && pr.onlineSince >= d.now - d.cfg.peerGraceMs;
  const writerHosts = d.cfg.roles[d.cfg.activeMasterRole]?.hosts ?? [];
  const uptime = rec.uptimeS;
  const diff = uptime !== null && rec.uptimeAtDownS !== null && rec.uptimeAtDownS > 0 ? uptime - rec.uptimeAtDownS : null;
  const auto = d.cfg.autoSetOnlineMs > 0;
  return {
    ping: o.checks.ping,
    mysql: o.checks.mysql,
    repThreads: o.checks.repThreads,
    repBacklog: o.checks.repBacklog,
    peerOk,
    peerOnline,
    replicationExempt: h === d.activeMaster || peerRecent || (d.failover?.kind === 'forced_switchover' && d.failover.to === h),
    replicationMatters: d.activeMaster !== '' || !writerHosts.includes(h),
    flapping: rec.flapping,
    shortOutage: diff !== null && diff > 0 && diff * 1000 < d.cfg.fastRecoveryMs,
    autoSetOnlineDue: auto && d.now - rec.since >= d.cfg.autoSetOnlineMs,
    flapAutoOnlineDue: auto && d.now - rec.since >= d.cfg.flapDurationMs,
  };
}

/** Runs the state table for every host; returns the writer held ONLINE by the second opinion, if any. */
export function stepHosts(d: Draft, obs: Observations): HeldWriter | null {
  const snap = { ...d.hosts };
  let held: HeldWriter | null = null;
  for (const h of d.cfg.hostNames) {
    const i = inputsFor(h, snap, d, obs);
    const rec = snap[h];
    if (i === null || rec === undefined) continue;
    const t = nextHostState(rec.state, i);
    if (t === null) continue;
    // Held whether or not its agent answers: if another host's agent reaches the writer's MySQL, the
    // monitor's own path is the suspect (issue 7: no failover when only the monitor cannot reach it).
    if (h === d.activeMaster && rec.state === 'ONLINE' && t.to === 'HARD_OFFLINE') {
      const seenBy = replicasStillSeeWriter(h, { cfg: d.cfg, hosts: snap, obs, assignments: d.roles, now: d.now });
      if (seenBy !== null) {
        held = { host: h, seenBy };
        continue;
      }
    }
    setHostState(d, h, t.to, t.reason);
  }
  return held;
}

/** WAIT mode becomes ACTIVE when both masters are ONLINE, or one has been for wait_for_other_master. */
export function stepWaitMode(d: Draft): void {
  if (d.mode !== 'WAIT') return;
  const [m1, m2] = d.cfg.roles[d.cfg.activeMasterRole]?.hosts ?? [];
  const r1 = m1 === undefined ? undefined : d.hosts[m1];
  const r2 = m2 === undefined ? undefined : d.hosts[m2];
  const on1 = r1?.state === 'ONLINE';
  const on2 = r2?.state === 'ONLINE';
  if (on1 && on2) {
    setMode(d, 'ACTIVE', `masters ${m1 ?? ''} and ${m2 ?? ''} are ONLINE`);
    return;
  }
  const living = on1 ? r1 : on2 ? r2 : undefined;
  const w = d.cfg.waitForOtherMasterMs;
  if (w > 0 && living?.onlineSince !== null && living !== undefined && living.onlineSince !== null && d.now - living.onlineSince >= w) {
    const dead = on1 ? m2 : m1;
    setMode(d, 'ACTIVE', `master ${dead ?? ''} did not come online for ${w}ms (wait_for_other_master)`);
  }
}
