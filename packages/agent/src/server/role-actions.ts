// What adding or removing one role means on this host (MMM's table, reordered for clients: see each
// function): the writer role is configure_ip → sync_with_master → allow_write on add and deny_write
// with clear_ip on remove; any other role is only its IP. Errors are sentences naming the failed step.
import type { Role } from '@mmm-ts/protocol';
import { clearIp } from '../actions/clear-ip.js';
import { configureIp } from '../actions/configure-ip.js';
import { mysqlAllowWrite } from '../actions/allow-write.js';
import { mysqlDenyWrite } from '../actions/deny-write.js';
import { syncWithMaster } from '../actions/sync-with-master.js';
import type { AgentRuntime } from './runtime.js';

/**
 * Whether this agent adds and removes the role's IP. Not for the writer role when the cluster config
 * sets `hooks.master_ip_failover_script`: that script moves the writer address, as in MHA setups, and
 * the agent only flips read_only (docs/hooks.md, "Writer address").
 */
export function agentManagesIp(rt: Pick<AgentRuntime, 'cfg'>, role: Role): boolean {
  return !(role.name === rt.cfg.activeMasterRole && rt.cfg.hooks.masterIpFailoverScript !== null);
}

const NO_IP = Promise.resolve({ ok: true } as const);

/**
 * Removes one role. For the writer, read_only and the VIP removal run at the same time: the release
 * of a hung server then costs one bounded statement, not that plus the IP commands, and the reply
 * (which the monitor waits for before promoting anyone) still covers both. `held`: the role must
 * still be counted as held (its IP could not be removed); `denyFailed`: read_only is not verified.
 */
export async function removeRole(rt: AgentRuntime, role: Role): Promise<{ error: string | null; held: boolean; denyFailed: boolean }> {
  const errors: string[] = [];
  const isWriter = role.name === rt.cfg.activeMasterRole;
  const [d, c] = await Promise.all([
    isWriter ? rt.db.run((env) => mysqlDenyWrite(env, rt.denyWriteOptions)) : Promise.resolve(null),
    agentManagesIp(rt, role) ? clearIp(rt.ipOps, rt.host.interface, role.ip, rt.logger) : NO_IP,
  ]);
  if (d !== null && !d.ok) errors.push(`mysql_deny_write for ${role.name}(${role.ip}): ${d.error.message}`);
  if (!c.ok) errors.push(`clear_ip ${role.ip}: ${c.error.message}`);
  return { error: errors.length > 0 ? errors.join('; ') : null, held: !c.ok, denyFailed: d !== null && !d.ok };
}

/**
 * Adds one role. For the writer the VIP comes first, while read_only is still on: a client connect
 * during the catch-up then gets an immediate read-only error instead of a SYN dropped on a host
 * without the address (which costs the client its whole connect timeout). Then sync_with_master and
 * allow_write; if either fails, the VIP is taken back and the role is not held.
 */
export async function addRole(rt: AgentRuntime, role: Role): Promise<{ error: string | null; held: boolean }> {
  const managed = agentManagesIp(rt, role);
  const c = managed ? await configureIp(rt.ipOps, rt.host.interface, role.ip, rt.logger) : { ok: true as const };
  if (!c.ok) return { error: `configure_ip ${role.ip}: ${c.error.message}`, held: false };
  if (role.name !== rt.cfg.activeMasterRole) return { error: null, held: true };
  const s = await rt.db.run((env) => syncWithMaster(env, rt.syncOptions()));
  const a = s.ok ? await rt.db.run((env) => mysqlAllowWrite(env)) : null;
  if (s.ok && a?.ok === true) return { error: null, held: true };
  const why = !s.ok ? `sync_with_master for ${role.name}(${role.ip}): ${s.error.message}` : `mysql_allow_write for ${role.name}(${role.ip}): ${a?.ok === false ? a.error.message : 'unknown'}`;
  const back = managed ? await clearIp(rt.ipOps, rt.host.interface, role.ip, rt.logger) : { ok: true as const };
  if (!s.ok || back.ok) {
    // allow_write may have half-succeeded; make sure writes stay denied.
    if (s.ok) await rt.db.run((env) => mysqlDenyWrite(env, rt.denyWriteOptions));
  }
  return { error: back.ok ? why : `${why}; clear_ip ${role.ip} after it: ${back.error.message}`, held: !back.ok };
}
