// The Prometheus metrics of the monitor (GET /metrics), on a private prom-client registry: gauges are
// refreshed from the read-only source at every scrape; agent request timings come from the transport
// decorator; failovers are counted from the history records that ended since this process started.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HOST_STATE_LIST, type Mode } from '../core/index.js';
import type { AgentTransport } from '../daemon/agents.js';
import { HISTORY_MAX_N } from './status.js';
import { timedTransport } from './agent-timing.js';
import { writerOf, type HttpSource } from './source.js';

export interface MetricsOptions {
  readonly cluster: string;
  /** Node process metrics (CPU, RSS, event loop, GC) on the same registry [true]. */
  readonly processMetrics?: boolean;
  /** Wall clock (ms) [Date.now]: failovers that ended before creation are not counted. */
  readonly now?: () => number;
}

export interface MonitorMetrics {
  readonly registry: Registry;
  /** The Content-Type of render()'s text. */
  readonly contentType: string;
  /** Wraps the agent transport so every agent request is timed and its errors counted. */
  wrapTransport(t: AgentTransport): AgentTransport;
  /** Refreshes every gauge from `src` and renders the Prometheus text format. */
  render(src: HttpSource): Promise<string>;
}

const MODES: readonly Mode[] = ['ACTIVE', 'MANUAL', 'WAIT', 'PASSIVE'];
const CHECK_STATES = ['ok', 'fail', 'unknown'] as const;
const KINDS = ['failover', 'switchover', 'forced_switchover'] as const;
const OUTCOMES = ['promoted', 'promote_failed', 'aborted'] as const;
const AGENT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const FAILOVER_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

const b = (x: boolean): number => (x ? 1 : 0);

/** Creates the registry and every mmm_ metric (see docs/http.md for the list). */
export function createMonitorMetrics(o: MetricsOptions): MonitorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ cluster: o.cluster });
  if (o.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const now = o.now ?? Date.now;
  const since = now();
  const reg = [registry];
  const g = (name: string, help: string, labelNames: readonly string[]): Gauge => new Gauge({ name, help, labelNames, registers: reg });

  const hostState = g('mmm_host_state', 'Host state: 1 for the current state of the host, 0 for the others.', ['host', 'state']);
  const hostOnline = g('mmm_host_online', '1 when the host is ONLINE.', ['host']);
  const hostFlapping = g('mmm_host_flapping', '1 when the host is marked flapping.', ['host']);
  const roleHolder = g('mmm_role_holder', 'Role IP held by a host (1 per held role IP).', ['role', 'ip', 'host']);
  const roleOrphaned = g('mmm_role_orphaned', '1 when the role IP is held by no host.', ['role', 'ip']);
  const writerInfo = g('mmm_writer_info', 'The host holding the writer (active master) role; absent when none.', ['host']);
  const writerPresent = g('mmm_writer_present', '1 when a host holds the writer role.', []);
  const mode = g('mmm_monitor_mode', 'Monitor mode: 1 for the current mode.', ['mode']);
  const outcome = g('mmm_monitor_outcome', "The loop's last outcome code (1 for the current one).", ['code']);
  const network = g('mmm_monitor_network_ok', "1 when the monitor's own network check (ping_ips) passes.", []);
  const inProgress = g('mmm_failover_in_progress', '1 while a writer move is in progress.', ['kind']);
  const checkOk = g('mmm_check_ok', '1 when the check reports ok (after the trap), else 0.', ['host', 'check']);
  const checkState = g('mmm_check_state', 'Check result: 1 for the current one of ok, fail, unknown.', ['host', 'check', 'state']);
  const checkSince = g('mmm_check_state_since_timestamp_seconds', 'When the check result last changed (Unix time).', ['host', 'check']);
  const checkDuration = g('mmm_check_last_duration_seconds', "Duration of the check's last probe (only when the check runner reports it).", ['host', 'check']);
  const agentReachable = g('mmm_agent_reachable', "1 when the host's agent answered its last request.", ['host']);
  const agentUptime = g('mmm_agent_uptime_seconds', 'Host uptime as last reported by its agent.', ['host']);
  const lastFailoverAt = g('mmm_last_failover_timestamp_seconds', 'When the newest failover/switchover record ended (Unix time); absent when none.', ['kind']);

  const agentDuration = new Histogram({
    name: 'mmm_agent_command_duration_seconds', help: 'Duration of agent requests (reply or failure), by command.',
    labelNames: ['host', 'command'], buckets: AGENT_BUCKETS, registers: reg,
  });
  const agentErrors = new Counter({
    name: 'mmm_agent_command_errors_total', help: 'Agent requests that failed: kind is the transport error code, or ERROR_REPLY.',
    labelNames: ['host', 'command', 'kind'], registers: reg,
  });
  const failovers = new Counter({
    name: 'mmm_failovers_total', help: 'Writer moves recorded since the monitor started, by kind and outcome.',
    labelNames: ['kind', 'outcome'], registers: reg,
  });
  const failoverDuration = new Histogram({
    name: 'mmm_failover_duration_seconds', help: 'Duration of writer moves (detection to promotion or abort), by kind.',
    labelNames: ['kind'], buckets: FAILOVER_BUCKETS, registers: reg,
  });
  for (const kind of KINDS) {
    for (const oc of OUTCOMES) failovers.inc({ kind, outcome: oc }, 0);
    failoverDuration.zero({ kind });
  }

  let counted = new Set<string>();
  const countFailovers = (src: HttpSource): void => {
    const recs = src.history(HISTORY_MAX_N);
    for (const r of recs) {
      if (counted.has(r.id) || !(Date.parse(r.endedAt) >= since)) continue;
      failovers.inc({ kind: r.kind, outcome: r.outcome });
      failoverDuration.observe({ kind: r.kind }, Math.max(0, r.durationMs) / 1000);
      counted.add(r.id);
    }
    // Only ids still in the window can come back: forget the others (bounded memory).
    counted = new Set(recs.map((r) => r.id).filter((id) => counted.has(id)));
  };

  const refresh = (src: HttpSource): void => {
    const s = src.state();
    for (const m of [hostState, hostOnline, hostFlapping, roleHolder, roleOrphaned, writerInfo, mode, outcome, inProgress,
      checkOk, checkState, checkSince, checkDuration, agentReachable, agentUptime, lastFailoverAt]) m.reset();
    for (const host of src.cfg.hostNames) {
      const st = s.hosts[host]?.state;
      for (const state of HOST_STATE_LIST) hostState.set({ host, state }, b(st === state));
      hostOnline.set({ host }, b(st === 'ONLINE'));
      hostFlapping.set({ host }, b(s.hosts[host]?.flapping === true));
      const a = src.agent(host);
      agentReachable.set({ host }, b(a.reachable));
      if (a.uptimeS !== undefined) agentUptime.set({ host }, a.uptimeS);
    }
    for (const r of s.roles) {
      if (r.host !== '') roleHolder.set({ role: r.role, ip: r.ip, host: r.host }, 1);
      roleOrphaned.set({ role: r.role, ip: r.ip }, b(r.host === ''));
    }
    const w = writerOf(src);
    if (w !== null) writerInfo.set({ host: w }, 1);
    writerPresent.set(b(w !== null));
    for (const m of MODES) mode.set({ mode: m }, b(s.mode === m));
    outcome.set({ code: src.outcome().code }, 1);
    network.set(b(src.networkOk()));
    for (const kind of KINDS) inProgress.set({ kind }, b(s.failover?.kind === kind));
    for (const r of src.rows()) {
      const l = { host: r.host, check: r.check };
      checkOk.set(l, b(r.state === 'ok'));
      for (const state of CHECK_STATES) checkState.set({ ...l, state }, b(r.state === state));
      if (Number.isFinite(r.since)) checkSince.set(l, r.since / 1000);
      if (typeof r.lastDurationMs === 'number') checkDuration.set(l, r.lastDurationMs / 1000);
    }
    const last = src.history(1)[0];
    if (last !== undefined && Number.isFinite(Date.parse(last.endedAt))) lastFailoverAt.set({ kind: last.kind }, Date.parse(last.endedAt) / 1000);
    countFailovers(src);
  };

  return {
    registry,
    contentType: registry.contentType,
    wrapTransport: (t) => timedTransport(t, {
      observe: (host, command, seconds) => agentDuration.observe({ host, command }, seconds),
      error: (host, command, kind) => agentErrors.inc({ host, command, kind }),
    }),
    async render(src) {
      refresh(src);
      return registry.metrics();
    },
  };
}
