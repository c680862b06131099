// Wires the monitor together: checks, agent client, startup, main loop, status file, history and the
// control listener, and stops them in the right order (listener, loop, checks) within a bound.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { err, ok, type Logger, type Result } from '@mmm-ts/protocol';
import type { ClusterConfig } from '@mmm-ts/protocol/config';
import { coreConfigFrom, denyMsFor, formatStatusFile, type FailoverBlock, type MonitorState } from '../core/index.js';
import { parseStatusFileBlock } from '../core/status-file.js';
import { createMonitorMetrics, startHttpListener, type HttpListener } from '../http/index.js';
import { AgentClient, socketTransport, type AgentEndpoint, type AgentTimeouts, type AgentTransport } from './agents.js';
import type { ChecksSource } from './checks-source.js';
import { startControlListener, type ControlListener } from './control.js';
import { GtidMemory } from './gtid.js';
import { History } from './history.js';
import { SecondOpinion } from './second-opinion.js';
import { MonitorLoop } from './loop.js';
import { MoveHooks, scriptHookRunner, type HookRunner } from './move-hooks.js';
import { runStartup } from './startup.js';
import { writeFileAtomic } from './status-store.js';

export interface MonitorOptions {
  readonly logger: Logger;
  /** The checks (createCheckRunner in production; fakes in tests). */
  readonly checks: (onChange: () => void) => ChecksSource;
  readonly transport?: AgentTransport;
  readonly now?: () => number;
  readonly tickMs?: number;
  readonly heartbeatMs?: number;
  /** Runs the MHA-compatible hooks (default: the configured scripts; tests inject a fake). */
  readonly hookRunner?: HookRunner;
}

export interface RunningMonitor {
  readonly loop: MonitorLoop;
  readonly controlPort: number;
  /** The HTTP status API's port (monitor.http), null when not configured. */
  readonly httpPort: number | null;
  /** Stops everything; resolves within about `boundMs` [4000] even with an action in flight. */
  stop(boundMs?: number): Promise<void>;
}

export type MonitorStartError = { readonly code: 'MONITOR_LISTEN_FAILED'; readonly message: string };

/** The agent timeouts derived from the config (see docs/monitor.md). */
export function agentTimeouts(cfg: ClusterConfig): AgentTimeouts {
  return {
    connectMs: 400,
    queryMs: 1_000,
    heartbeatMs: 2_000,
    actionMs: Math.max(cfg.agent.syncTimeoutMs, cfg.agent.maxKillRetries * 1_000) + 5_000,
  };
}

/** Starts the monitor: startup sequence, then the loop and the control listener. */
export async function startMonitor(cfg: ClusterConfig, o: MonitorOptions): Promise<Result<RunningMonitor, MonitorStartError>> {
  const log = o.logger;
  const core = coreConfigFrom(cfg);
  let loop: MonitorLoop | null = null;
  let stopping = false;
  const checks = o.checks(() => loop?.wake());
  const endpoints: Record<string, AgentEndpoint> = {};
  for (const h of cfg.hostNames) {
    const hc = cfg.hosts[h];
    if (hc !== undefined) endpoints[h] = { ip: hc.ip, port: hc.agentPort };
  }
  // HTTP status API and metrics (issue 5, src/http/): only with monitor.http; agent requests timed.
  const metrics = cfg.monitor.http === null ? null : createMonitorMetrics({ cluster: cfg.cluster, ...(o.now === undefined ? {} : { now: o.now }) });
  const transport = o.transport ?? socketTransport(cfg.security.mmmV1Compat ? null : cfg.security.secret);
  const agents = new AgentClient({
    endpoints,
    transport: metrics === null ? transport : metrics.wrapTransport(transport),
    timeouts: agentTimeouts(cfg),
    logger: log.child({ component: 'agents' }),
    ...(o.now === undefined ? {} : { now: o.now }),
    onChange: () => loop?.wake(),
    writerRole: cfg.activeMasterRole,
  });
  const gtids = new GtidMemory();
  const history = new History({
    file: `${cfg.monitor.statusPath}.history`,
    logger: log.child({ component: 'history' }),
    gtids: (h) => ({ binlog: gtids.get(h), slave: null, at: gtids.at(h) }),
  });
  await mkdir(dirname(cfg.monitor.statusPath), { recursive: true }).catch(() => undefined);
  await history.load();
  // The anti-flapping block survives restarts in the status file's `@failover_block` line.
  const initialBlock = parseStatusFileBlock(await readFile(cfg.monitor.statusPath, 'utf8').catch(() => ''));
  if (initialBlock !== null) log.warn({ event: 'startup.failover_block', block: initialBlock }, 'the anti-flapping failover block is restored from the status file');
  checks.start();
  const runStarted = await runStartup({
    cfg: core, statusPath: cfg.monitor.statusPath, checks, agents, logger: log.child({ component: 'startup' }),
    ...(o.now === undefined ? {} : { now: o.now }),
    aborted: () => stopping,
  });
  // MHA-compatible hooks (docs/hooks.md): only when a script is configured.
  const h = cfg.hooks;
  const anyHook = h.masterIpFailoverScript !== null || h.shutdownScript !== null || h.masterIpOnlineChangeScript !== null || h.reportScript !== null;
  const runner = o.hookRunner ?? (anyHook ? scriptHookRunner(cfg, log.child({ component: 'hooks' })) : null);
  const hooks = runner === null ? null : new MoveHooks(runner, core, (host) => agents.record(host).reachable, log.child({ component: 'hooks' }));
  let started = runStarted;
  if (runner !== null && started.state.mode !== 'PASSIVE' && started.state.activeMaster !== '') {
    // MHA refuses to monitor when the status check fails: we go PASSIVE with the reason (not configured: proceeds).
    const check = await runner.failover('status_check', { origMaster: started.state.activeMaster });
    if (!check.proceed) {
      const reason = `Hook status check failed: ${check.reason}. Fix the script, then set_active.`;
      log.error({ event: 'startup.hook_status_failed', code: check.code }, reason);
      started = { ...started, state: { ...started.state, mode: 'PASSIVE', modeSince: (o.now ?? Date.now)(), passiveReason: reason } };
    }
  }
  let lastStatusText: string | null = null;
  const writeStatus = async (state: MonitorState, block: FailoverBlock | null): Promise<void> => {
    const text = formatStatusFile(state, core, block);
    if (text === lastStatusText) return;
    try {
      await writeFileAtomic(cfg.monitor.statusPath, text);
      lastStatusText = text;
    } catch (e) {
      log.error({ event: 'status.write_failed', file: cfg.monitor.statusPath, err: e instanceof Error ? e.message : String(e) }, 'cannot write the status file');
    }
  };
  await writeStatus(started.state, initialBlock);
  const denyMs = denyMsFor(core.fencing, cfg.fencing.writerLeaseMs);
  const theLoop = new MonitorLoop({
    cfg: core, checks, agents, logger: log.child({ component: 'loop' }), initialState: started.state, history, gtids,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
    ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
    onState: (s, b) => writeStatus(s, b),
    initialBlock,
    ...(hooks === null ? {} : { hooks }),
    // The second opinion needs the CHECK_HOST extension, which original MMM agents lack; the fence's
    // denial quorum rides on the same requests even with secondary_check off (docs/fencing.md).
    ...((cfg.hooks.secondaryCheck === 'agents' || denyMs !== null) && !cfg.security.mmmV1Compat
      ? {
          secondOpinion: new SecondOpinion({
            agents, hostNames: core.hostNames, enabled: cfg.hooks.secondaryCheck === 'agents', denyMs, slackMs: cfg.fencing.marginMs,
            logger: log.child({ component: 'second-opinion' }), now: o.now ?? Date.now, onChange: () => loop?.wake(),
          }),
        }
      : {}),
  });
  loop = theLoop;
  let listener: ControlListener;
  try {
    listener = await startControlListener({
      host: cfg.monitor.ip,
      port: cfg.monitor.port,
      logger: log,
      ctx: {
        cfg: core,
        state: () => theLoop.state(),
        outcome: () => theLoop.lastOutcome(),
        agentReachable: (h) => agents.record(h).reachable,
        rows: () => checks.rows(),
        history: (n) => history.last(n),
        report: { cluster: cfg.cluster, hosts: cfg.hosts },
        failoverBlock: () => theLoop.failoverBlock(),
        errantHosts: () => theLoop.errantHosts(),
        submit: (req, t) => theLoop.submit(req, t),
        moveTimeoutMs: agentTimeouts(cfg).actionMs + 10_000,
        intentTimeoutMs: 10_000,
      },
    });
  } catch (e) {
    await checks.stop();
    return err({ code: 'MONITOR_LISTEN_FAILED', message: `cannot listen on ${cfg.monitor.ip}:${cfg.monitor.port}: ${e instanceof Error ? e.message : String(e)}` });
  }
  // HTTP status API (issue 5): read-only views of the loop, agents, checks and history.
  let http: HttpListener | null = null;
  if (metrics !== null && cfg.monitor.http !== null) {
    const h = await startHttpListener({
      host: cfg.monitor.http.host, port: cfg.monitor.http.port, logger: log, metrics,
      source: {
        cluster: cfg.cluster, cfg: core, state: () => theLoop.state(), outcome: () => theLoop.lastOutcome(),
        agent: (host) => agents.record(host), rows: () => checks.rows(), history: (n) => history.last(n), networkOk: () => checks.networkOk(),
      },
    });
    if (!h.ok) {
      await listener.close();
      await checks.stop();
      return err({ code: 'MONITOR_LISTEN_FAILED', message: h.error.message });
    }
    http = h.value;
  }
  theLoop.start();
  log.info({ event: 'monitor.started', control: `${cfg.monitor.ip}:${listener.port}`, mode: started.state.mode }, 'monitor running');
  return ok({
    loop: theLoop,
    controlPort: listener.port,
    httpPort: http?.port ?? null,
    async stop(boundMs = 4_000) {
      stopping = true;
      let t: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((r) => { t = setTimeout(r, boundMs); });
      await Promise.race([
        (async () => {
          await http?.close();
          await listener.close();
          await theLoop.stop();
          await checks.stop();
          await writeStatus(theLoop.state(), theLoop.failoverBlock());
        })(),
        bound,
      ]);
      clearTimeout(t);
      log.info({ event: 'monitor.stopped' }, 'monitor stopped');
    },
  });
}
