// MHA's argument forms, byte for byte, so an existing MHA script works unchanged, and the same values in
// the environment (MMM_*), so a script can read passwords without having them on its command line.
import { err, ok } from '@mmm-ts/protocol';
import type { Result } from '@mmm-ts/protocol';
import type { HookArgsContext, HookCommand, HookHost, HookKind } from './types.js';

export interface HookArgsError {
  readonly code: 'HOOK_BAD_CALL';
  readonly message: string;
}

const COMMANDS: Readonly<Record<HookKind, readonly HookCommand[]>> = {
  master_ip_failover_script: ['status', 'stop', 'stopssh', 'start'],
  master_ip_online_change_script: ['stop', 'start'],
  shutdown_script: ['status', 'stop', 'stopssh'],
  report_script: ['report'],
};

const master = (prefix: 'orig' | 'new', h: HookHost): string[] =>
  [`--${prefix}_master_host=${h.host}`, `--${prefix}_master_ip=${h.ip}`, `--${prefix}_master_port=${h.port}`];
const account = (prefix: 'orig' | 'new', h: HookHost): string[] =>
  [`--${prefix}_master_user=${h.user}`, `--${prefix}_master_password=${h.password}`];

/**
 * The argv (after the script path) MHA passes for this hook and command. Each element is one
 * argument: MHA's shell quoting (`--new_master_user='U'`) is not reproduced because no shell runs.
 */
export function buildHookArgs(kind: HookKind, command: HookCommand, ctx: HookArgsContext): Result<string[], HookArgsError> {
  if (!COMMANDS[kind].includes(command)) {
    return err({ code: 'HOOK_BAD_CALL', message: `${kind} takes --command=${COMMANDS[kind].join('|')}, not ${command}` });
  }
  const o = ctx.origMaster;
  const n = ctx.newMaster ?? null;
  const needNew = (): Result<string[], HookArgsError> =>
    err({ code: 'HOOK_BAD_CALL', message: `${kind} --command=${command} needs the new master` });
  switch (kind) {
    case 'master_ip_failover_script': {
      const base = [`--command=${command}`, `--ssh_user=${ctx.sshUser}`, ...master('orig', o)];
      if (command !== 'start') return ok(base);
      return n === null ? needNew() : ok([...base, ...master('new', n), ...account('new', n)]);
    }
    case 'master_ip_online_change_script':
      return n === null ? needNew() : ok([`--command=${command}`, ...master('orig', o), ...account('orig', o), ...master('new', n), ...account('new', n)]);
    case 'shutdown_script': {
      const base = [`--command=${command}`, `--ssh_user=${ctx.sshUser}`, `--host=${o.host}`, `--ip=${o.ip}`];
      return ok(command === 'status' ? base : [...base, `--port=${o.port}`]);
    }
    case 'report_script': {
      const out = [`--orig_master_host=${o.host}`];
      if (n !== null) out.push(`--new_master_host=${n.host}`, `--new_slave_hosts=${(ctx.newSlaveHosts ?? []).join(',')}`);
      out.push(`--subject=${ctx.subject ?? ''}`, `--body=${ctx.body ?? ''}`);
      return ok(out);
    }
  }
}

/** The environment added for a hook: MMM_HOOK, MMM_HOOK_COMMAND, MMM_SSH_USER and MMM_{ORIG,NEW}_MASTER_{HOST,IP,PORT,USER,PASSWORD}. */
export function buildHookEnv(kind: HookKind, command: HookCommand, ctx: HookArgsContext): Record<string, string> {
  const env: Record<string, string> = { MMM_HOOK: kind, MMM_HOOK_COMMAND: command, MMM_SSH_USER: ctx.sshUser };
  const put = (prefix: string, h: HookHost): void => {
    env[`${prefix}_HOST`] = h.host;
    env[`${prefix}_IP`] = h.ip;
    env[`${prefix}_PORT`] = String(h.port);
    env[`${prefix}_USER`] = h.user;
    env[`${prefix}_PASSWORD`] = h.password;
  };
  put('MMM_ORIG_MASTER', ctx.origMaster);
  if (ctx.newMaster) put('MMM_NEW_MASTER', ctx.newMaster);
  return env;
}

const SECRET_ARG = /^(--[A-Za-z_]*password=)(.*)$/s;

/** argv as it may be logged and recorded: every `--*password=` value becomes `xxx` (MHA logs the same). */
export function redactArgs(argv: readonly string[]): string[] {
  return argv.map((a) => {
    const m = SECRET_ARG.exec(a);
    return m === null ? a : `${m[1] ?? ''}xxx`;
  });
}

/** The secret values carried by argv and env (for scrubbing script output). */
export function secretValues(argv: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const out = new Set<string>();
  for (const a of argv) {
    const v = SECRET_ARG.exec(a)?.[2];
    if (v !== undefined && v !== '') out.add(v);
  }
  for (const [k, v] of Object.entries(env)) if (/PASSWORD|SECRET/i.test(k) && v !== '') out.add(v);
  return [...out].sort((a, b) => b.length - a.length);
}

/** The `--command=` value of an argv (report_script has none). */
export function commandOf(argv: readonly string[]): HookCommand {
  const c = argv.find((a) => a.startsWith('--command='))?.slice('--command='.length);
  return c === 'status' || c === 'stop' || c === 'stopssh' || c === 'start' ? c : 'report';
}
