// `mmm-control preflight`: checks the whole cluster (agents, servers, replication, accounts) before you
// trust it, as MHA's masterha_check_repl does, and prints a PASS/WARN/FAIL checklist with a fix per line.
import { sendRequest, silentLogger, type Logger } from '@mmm-ts/protocol';
import type { ClusterConfig } from '@mmm-ts/protocol/config';
import { connectMysql, type SqlConnector } from '@mmm-ts/protocol/mysql';
import { gatherAll } from './gather.js';
import { checkAgent, checkBinlog, checkFence, checkGrants, checkGtid, checkMysqlFailure, checkReplication, checkServerId, checkSource, checkVersion, line } from './host-checks.js';
import { checkAutoIncrement, checkErrant, checkFamilies, checkReadOnly } from './cluster-checks.js';
import type { HostFacts, HostObservation, PreflightLine, PreflightReport } from './types.js';

export type { PreflightLine, PreflightReport, PreflightStatus } from './types.js';

export interface PreflightOptions {
  readonly logger?: Logger;
  readonly connect?: SqlConnector;
  /** Bound on each connect, query and agent request [2000]. */
  readonly timeoutMs?: number;
  readonly sendAgent?: typeof sendRequest;
}

/** Turns the observations into the checklist (pure; exported for tests). */
export function decidePreflight(cfg: ClusterConfig, observed: readonly HostObservation[]): PreflightReport {
  const lines: PreflightLine[] = [];
  const facts = new Map<string, HostFacts>();
  for (const o of observed) if (o.mysql.ok) facts.set(o.name, o.mysql.facts);
  const ids = new Map([...facts].map(([n, f]) => [n, f.vars.serverId]));
  for (const o of observed) {
    const h = cfg.hosts[o.name];
    if (h === undefined) continue;
    lines.push(checkAgent(h, o.agent, cfg.security.secret !== null));
    if (!o.mysql.ok) {
      lines.push(checkMysqlFailure(h, o.mysql.error, o.mysql.stage));
      continue;
    }
    const f = o.mysql.facts;
    lines.push(line('PASS', h.name, 'mysql', `connected as ${h.agentUser}`), checkVersion(h, f), checkServerId(h, f, ids),
      checkGtid(h, f), checkBinlog(h, f), checkSource(cfg, h, f), checkReplication(h, f, cfg.checks.repBacklog.maxBacklogMs),
      ...checkGrants(h, f), checkFence(cfg, h, f));
  }
  const cluster = [checkFamilies(facts), checkAutoIncrement(cfg, facts)].filter((l): l is PreflightLine => l !== null);
  lines.push(...cluster, ...checkReadOnly(cfg, facts), ...checkErrant(cfg, facts));
  return { lines, failed: lines.filter((l) => l.status === 'FAIL').length, warned: lines.filter((l) => l.status === 'WARN').length };
}

/** Observes every host (bounded by timeoutMs per step) and returns the checklist; never throws for a down host. */
export async function runPreflight(cfg: ClusterConfig, opts: PreflightOptions = {}): Promise<PreflightReport> {
  const log = (opts.logger ?? silentLogger).child({ component: 'preflight' });
  const timeoutMs = opts.timeoutMs ?? 2000;
  log.debug({ event: 'preflight.start', hosts: cfg.hostNames, timeoutMs }, 'preflight started');
  const observed = await gatherAll(cfg, { connect: opts.connect ?? connectMysql, sendAgent: opts.sendAgent ?? sendRequest, timeoutMs });
  const report = decidePreflight(cfg, observed);
  log.info({ event: 'preflight.done', failed: report.failed, warned: report.warned }, 'preflight finished');
  return report;
}

/** The checklist as text: one line per check, its fix hint under it, a summary last. */
export function formatPreflight(r: PreflightReport): string {
  const out: string[] = [];
  for (const l of r.lines) {
    out.push(`[${l.status}] ${(l.host ?? 'cluster').padEnd(8)} ${l.check.padEnd(18)} ${l.message}`);
    if (l.hint !== undefined && l.status !== 'PASS') out.push(`       fix: ${l.hint}`);
  }
  const passed = r.lines.length - r.failed - r.warned;
  out.push('', `${passed} passed, ${r.warned} warning${r.warned === 1 ? '' : 's'}, ${r.failed} failed`);
  return `${out.join('\n')}\n`;
}
