// Which MMM 2.2 key becomes which MMM-TS YAML key, how its value converts, and what MMM keys we do not
// support (with the reason shown as a comment in the output).

/** How a value converts: seconds → `Ns`, comma lists → YAML lists, MMM booleans → true/false. */
export type Conv = 'str' | 'int' | 'dur' | 'bool' | 'list';

export type KeyRule =
  | { readonly to: string; readonly conv: Conv }
  | { readonly unsupported: string };

const TOOLS = 'mmm_tools (backup, clone, restore) is not part of MMM-TS';

const same = (conv: Conv, ...keys: string[]): Array<[string, KeyRule]> => keys.map((k) => [k, { to: k, conv }]);
const unsupported = (why: string, ...keys: string[]): Array<[string, KeyRule]> => keys.map((k) => [k, { unsupported: why }]);

/** Top-level keys (outside sections). `to` names a dotted target: `agent.max_kill_retries`. */
export const GLOBAL_KEYS: ReadonlyMap<string, KeyRule> = new Map([
  ['active_master_role', { to: 'active_master_role', conv: 'str' }],
  ['max_kill_retries', { to: 'agent.max_kill_retries', conv: 'int' }],
  ['debug', { unsupported: 'use `--log-level debug` on the command line instead' }],
  ['this', { unsupported: 'not needed: mmm-agent picks its host by the IPs configured on the machine, or `--host NAME`' }],
  ...unsupported(TOOLS, 'default_copy_method', 'clone_dirs'),
]);

export const MONITOR_KEYS: ReadonlyMap<string, KeyRule> = new Map([
  ...same('str', 'ip', 'status_path', 'mode'),
  ...same('int', 'port', 'flap_count'),
  ...same('dur', 'flap_duration', 'auto_set_online', 'wait_for_other_master'),
  ['ping_ips', { to: 'ping_ips', conv: 'list' }],
  ['careful_startup', { to: 'careful_startup', conv: 'bool' }],
  ['ping_interval', { unsupported: 'not configurable: the monitor checks its own network (ping_ips) on its own schedule' }],
  ['kill_host_bin', { unsupported: 'use `hooks.shutdown_script` (MHA-compatible arguments) to power off a failed writer' }],
  ...unsupported('not needed: the programs run in the foreground under systemd', 'pid_path', 'bin_path'),
]);

/** Host keys that go to `host_defaults` (or stay on the host), by MMM name. */
export const HOST_KEYS: ReadonlyMap<string, KeyRule> = new Map([
  ...same('str', 'ip', 'mode', 'peer', 'agent_user', 'agent_password', 'monitor_user', 'monitor_password', 'replication_user', 'replication_password'),
  ...same('int', 'agent_port', 'mysql_port'),
  ['cluster_interface', { to: 'interface', conv: 'str' }],
  ...unsupported('not needed: the programs run in the foreground under systemd', 'pid_path', 'bin_path'),
  ...unsupported('not used: MMM-TS never starts or stops mysqld', 'mysql_pidfile', 'mysql_rcscript', 'mysql_cnf'),
  ...unsupported(TOOLS, 'ssh_user', 'ssh_port', 'ssh_parameters', 'tools_user', 'tools_password', 'backup_dir', 'restore_dir',
    'lvm_bin_lvcreate', 'lvm_bin_lvremove', 'lvm_snapshot_size', 'lvm_logical_volume', 'lvm_volume_group', 'lvm_mount_dir', 'lvm_mount_opts'),
]);

/** Keys only a host (not host_defaults) may have in MMM-TS. */
export const HOST_ONLY = new Set(['ip', 'mode', 'peer']);

export const ROLE_KEYS: ReadonlyMap<string, KeyRule> = new Map([
  ...same('str', 'mode', 'prefer'),
  ...same('list', 'hosts', 'ips'),
]);

export const CHECK_KEYS: ReadonlyMap<string, KeyRule> = new Map([
  ['check_period', { to: 'interval', conv: 'dur' }],
  ['trap_period', { to: 'trap', conv: 'dur' }],
  ['timeout', { to: 'timeout', conv: 'dur' }],
  ['max_backlog', { to: 'max_backlog', conv: 'dur' }],
  ['restart_after', { unsupported: 'not needed: checks run inside the monitor, there is no checker process to restart' }],
]);

export const CHECK_NAMES = ['ping', 'mysql', 'rep_threads', 'rep_backlog'] as const;

/** Keys whose values are never echoed into comments or warnings. */
export function isSecretKey(key: string): boolean {
  return /password|secret|key_file/i.test(key);
}
