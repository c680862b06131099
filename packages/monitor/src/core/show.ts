// mmm_control's `show` text, exactly as MMM prints it, from the core's state alone.
import type { CoreConfig } from './config.js';
import { rolesOf } from './roles.js';
import type { MonitorState } from './types.js';

/** The `show` reply: passive header, agent warnings, one line per host (sorted), preference lines. */
export function formatShow(state: MonitorState, cfg: CoreConfig): string {
  let out = '';
  if (state.mode === 'PASSIVE') {
    out += '# --- Monitor is in PASSIVE MODE ---\n';
    out += `# Cause: ${state.passiveReason}\n`;
  }
  for (const h of cfg.hostNames) if (state.hosts[h]?.agentDown === true) out += `# Warning: agent on host ${h} is not reachable\n`;
  for (const h of cfg.hostNames) {
    const hc = cfg.hosts[h];
    const roles = rolesOf(state.roles, h).map((r) => `${r.name}(${r.ip})`).join(', ');
    out += `  ${h}(${hc?.ip ?? ''}) ${hc?.mode ?? ''}/${state.hosts[h]?.state ?? 'UNKNOWN'}. Roles: ${roles}\n`;
  }
  for (const name of cfg.roleNames) {
    const r = cfg.roles[name];
    if (r?.prefer === null || r?.prefer === undefined || r.mode !== 'exclusive') continue;
    const owner = state.roles.find((a) => a.role === name)?.host ?? '';
    if (owner === r.prefer) out += `# Role ${name} is assigned to it's preferred host ${r.prefer}.\n`;
    else if (owner !== '') out += `# Role ${name} has ${r.prefer} configured as it's preferred host but is assigned to ${owner} at the moment.\n`;
    else out += `# Role ${name} has ${r.prefer} configured as it's preferred host.\n`;
  }
  return out;
}
