// Monitor startup as MMM does it: wait for the network check, load the status file, ask every agent
// GET_AGENT_STATUS and GET_SYSTEM_STATUS (concurrently, bounded), let the core vote the writer, then
// re-assert the state with SET_STATUS + CLEAR_BAD_ROLES to every reachable agent. A restart in steady
// state moves no role.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@mmm-ts/protocol';
import { rolesOf, startup, type AgentStatus, type CoreConfig, type MonitorState, type Outcome, type StoredStatus, type SystemStatus } from '../core/index.js';
import type { AgentClient } from './agents.js';
import type { ChecksSource } from './checks-source.js';
import { loadStatusFile } from './status-store.js';

export interface StartupOptions {
  readonly cfg: CoreConfig;
  readonly statusPath: string;
  readonly checks: ChecksSource;
  readonly agents: AgentClient;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Give up waiting for the network check after this long and start frozen [10000]. */
  readonly networkWaitMs?: number;
  /** Wait at most this long for the checks' first round [5000]. */
  readonly firstChecksMs?: number;
  /** Set when stopping: startup returns as soon as it can. */
  readonly aborted?: () => boolean;
}

export interface StartupResult {
  readonly state: MonitorState;
  readonly outcome: Outcome;
}

/** Runs the startup sequence and returns the state the loop starts from. */
export async function runStartup(o: StartupOptions): Promise<StartupResult> {
  const now = o.now ?? Date.now;
  const deadline = now() + (o.networkWaitMs ?? 10_000);
  while (!o.checks.networkOk() && now() < deadline && o.aborted?.() !== true) await sleep(100);
  if (!o.checks.networkOk()) o.logger.warn({ event: 'startup.network_down' }, 'network check still failing: starting anyway, frozen until it recovers');
  // Run all checks once before deciding anything (MMM does), bounded.
  if (o.checks.settled !== undefined) {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([o.checks.settled(), new Promise<void>((r) => { t = setTimeout(r, o.firstChecksMs ?? 5_000); })]);
    clearTimeout(t);
  }

  const loaded = await loadStatusFile(o.statusPath);
  let stored: StoredStatus = {};
  if (loaded.ok) {
    stored = loaded.value.stored;
    o.logger.info({ event: 'startup.status_loaded', file: o.statusPath, firstStart: !loaded.value.existed, hosts: Object.keys(stored).length }, loaded.value.existed ? 'status file loaded' : 'no status file: first start');
  } else {
    o.logger.error({ event: 'startup.status_unreadable', code: loaded.error.code, err: loaded.error.message }, 'status file unusable: starting from the agents');
  }

  const agents: Record<string, AgentStatus | null> = {};
  const systems: Record<string, SystemStatus | null> = {};
  await Promise.all(o.cfg.hostNames.map(async (h) => {
    agents[h] = await o.agents.agentStatus(h);
    systems[h] = agents[h] === null ? null : await o.agents.systemStatus(h);
  }));
  for (const h of o.cfg.hostNames) {
    o.logger.info({ event: 'startup.agent_status', host: h, agent: agents[h] ?? null, system: systems[h] ?? null }, `agent ${h}: ${agents[h] === null ? 'unreachable' : 'answered'}`);
  }
  const r = startup(stored, agents, systems, o.cfg, now());
  o.logger.warn({ event: 'startup.outcome', code: r.outcome.code }, r.outcome.sentence);

  if (r.state.mode !== 'PASSIVE') {
    await Promise.all(o.cfg.hostNames.map(async (h) => {
      if (agents[h] === null) return;
      const rec = r.state.hosts[h];
      if (rec === undefined) return;
      await o.agents.setStatus({ host: h, state: rec.state, roles: rolesOf(r.state.roles, h), master: r.state.activeMaster, phase: 2, critical: false, purpose: 'heartbeat' });
      const c = await o.agents.clearBadRoles(h);
      o.logger.info({ event: 'startup.clear_bad_roles', host: h, reply: c.kind === 'reply' ? c.payload : c.kind === 'transport' ? c.error.message : 'skipped' }, 'CLEAR_BAD_ROLES');
    }));
  }
  return r;
}
