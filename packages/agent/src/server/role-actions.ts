// What adding or removing one role means on this host (MMM's table): the writer role is
// sync_with_master → allow_write → configure_ip on add and deny_write → clear_ip on remove; any
// other role is only its IP. Each returns null on success or a sentence naming the failed step.
import type { Role } from '@mmm-ts/protocol';
import { clearIp } from '../actions/clear-ip.js';
import { configureIp } from '../actions/configure-ip.js';
import { mysqlAllowWrite } from '../actions/allow-write.js';
import { mysqlDenyWrite } from '../actions/deny-write.js';
import { syncWithMaster } from '../actions/sync-with-master.js';
import type { AgentRuntime } from './runtime.js';

/** Removes one role; `held` tells the caller whether the role must still be counted as held. */
export async function removeRole(rt: AgentRuntime, role: Role): Promise<{ error: string | null; held: boolean }> {
  const errors: string[] = [];
  if (role.name === rt.cfg.activeMasterRole) {
    const d = await rt.db.run((env) => mysqlDenyWrite(env, rt.denyWriteOptions));
    // Continue to clear the IP even when read_only could not be set: with the address gone no new
    // client reaches this host, which is the safer half to keep.
    if (!d.ok) errors.push(`mysql_deny_write for ${role.name}(${role.ip}): ${d.error.message}`);
  }
  const c = await clearIp(rt.ipOps, rt.host.interface, role.ip, rt.logger);
  if (!c.ok) errors.push(`clear_ip ${role.ip}: ${c.error.message}`);
  return { error: errors.length > 0 ? errors.join('; ') : null, held: !c.ok };
}

/** Adds one role; on failure the role is not held and, for the writer, writes are denied again. */
export async function addRole(rt: AgentRuntime, role: Role): Promise<{ error: string | null; held: boolean }> {
  if (role.name === rt.cfg.activeMasterRole) {
    const s = await rt.db.run((env) => syncWithMaster(env, rt.syncOptions()));
    if (!s.ok) return { error: `sync_with_master for ${role.name}(${role.ip}): ${s.error.message}`, held: false };
    const a = await rt.db.run((env) => mysqlAllowWrite(env));
    if (!a.ok) return { error: `mysql_allow_write for ${role.name}(${role.ip}): ${a.error.message}`, held: false };
  }
  const c = await configureIp(rt.ipOps, rt.host.interface, role.ip, rt.logger);
  if (!c.ok) {
    if (role.name === rt.cfg.activeMasterRole) {
      // Writable without the VIP would be a writer nobody can find; take writes back.
      await rt.db.run((env) => mysqlDenyWrite(env, rt.denyWriteOptions));
    }
    return { error: `configure_ip ${role.ip}: ${c.error.message}`, held: false };
  }
  return { error: null, held: true };
}
