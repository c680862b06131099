// The vocabulary shared by the hook modules: which MHA script, which `--command`, who the masters are,
// and what one run of a script leaves in the failover record.

/** MHA's script names, as the `hooks:` config keys spell them. */
export type HookKind = 'master_ip_failover_script' | 'master_ip_online_change_script' | 'shutdown_script' | 'report_script';
export const HOOK_KINDS: readonly HookKind[] = ['master_ip_failover_script', 'master_ip_online_change_script', 'shutdown_script', 'report_script'];

/** MHA's `--command=` values; `report` stands for report_script, which takes none. */
export type HookCommand = 'status' | 'stop' | 'stopssh' | 'start' | 'report';

/** A master as MHA describes it to scripts; user/password are the host's agent MySQL account. */
export interface HookHost {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Everything the argument builder may need; which fields a call uses depends on kind and command. */
export interface HookArgsContext {
  readonly sshUser: string;
  readonly origMaster: HookHost;
  /** Required for `start` and for the online-change script; for report_script, only when a new master was activated. */
  readonly newMaster?: HookHost | null;
  /** report_script: replicas now replicating from the new master. */
  readonly newSlaveHosts?: readonly string[];
  readonly subject?: string;
  readonly body?: string;
}

/** One execution of a hook script, as kept in the failover record (passwords redacted). */
export interface HookRun {
  readonly hook: HookKind;
  readonly command: HookCommand;
  readonly path: string;
  /** The arguments with every `--*password=` value replaced by `xxx` (as MHA logs them). */
  readonly argv: readonly string[];
  readonly startedAt: string;
  /** null when the script did not exit by itself (killed, or never started). */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** At most `maxOutputBytes` each, passwords replaced by `xxx`. */
  readonly stdout: string;
  readonly stderr: string;
  /** Why the script could not be started (ENOENT, EACCES…), else null. */
  readonly error: string | null;
  /** Exit code 0. */
  readonly ok: boolean;
}
