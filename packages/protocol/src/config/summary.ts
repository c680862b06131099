// A few human lines describing a validated config, for `config-check` and start-up logs; it never
// prints a secret.
import type { CheckConfig, ClusterConfig } from './types.js';

/** Formats milliseconds the way the config file writes them (1h, 120s, 500ms). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 600_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function check(name: string, c: CheckConfig): string {
  return `${name} every ${formatDurationMs(c.intervalMs)} (trap ${formatDurationMs(c.trapMs)}, timeout ${formatDurationMs(c.timeoutMs)})`;
}

/** Describes the cluster in a few lines: hosts, roles, monitor, check timings, security mode. */
export function summarizeConfig(cfg: ClusterConfig): string {
  const lines: string[] = [];
  lines.push(`cluster ${cfg.cluster}: ${cfg.hostNames.length} host(s), ${cfg.roleNames.length} role(s), active master role ${cfg.activeMasterRole}`);
  for (const name of cfg.hostNames) {
    const h = cfg.hosts[name];
    if (h === undefined) continue;
    const peer = h.peer !== null ? `, peer ${h.peer}` : '';
    lines.push(`  host ${name}(${h.ip}) ${h.mode}${peer}; agent port ${h.agentPort}, mysql port ${h.mysqlPort}, interface ${h.interface}`);
  }
  for (const name of cfg.roleNames) {
    const r = cfg.roles[name];
    if (r === undefined) continue;
    const prefer = r.prefer !== null ? `, prefer ${r.prefer}` : '';
    lines.push(`  role ${name} ${r.mode}: ips ${r.ips.join(', ')} on ${r.hosts.join(', ')}${prefer}`);
  }
  const m = cfg.monitor;
  const http = m.http !== null ? `, http ${m.http.host}:${m.http.port}` : '';
  lines.push(`  monitor ${m.ip}:${m.port}${http}, mode ${m.mode}, status ${m.statusPath}`);
  const c = cfg.checks;
  lines.push(`  checks: ${check('ping', c.ping)}; ${check('mysql', c.mysql)}; ${check('rep_threads', c.repThreads)}; ${check('rep_backlog', c.repBacklog)}, max backlog ${formatDurationMs(c.repBacklog.maxBacklogMs)}`);
  const sec = cfg.security;
  const mode = sec.secret !== null ? 'shared secret set' : 'none';
  lines.push(`  security: ${sec.mmmV1Compat ? 'MMM v1 compatible protocol (unauthenticated)' : 'authenticated protocol'}, ${mode}`);
  return lines.join('\n');
}
