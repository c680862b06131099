// The control commands (mmm_control's words) as a pure-ish dispatcher over a narrow view of the
// daemon: read-only commands answer from the loop's last state, state-changing ones submit an intent
// to the loop and answer with its result. Every reply has a text form (MMM's) and a JSON form.
import { formatShow, rolesOf, type CoreConfig, type FailoverBlock, type Mode, type MonitorState, type Outcome } from '../core/index.js';
import { blockSentence } from '../core/block.js';
import { formatMhaReport, reportFromMoveRecord, type ReportConfig } from '../hooks/index.js';
import { formatChecks, selectRows } from './checks-format.js';
import type { CheckRowView } from './checks-source.js';
import type { MoveRecord } from './history.js';
import type { IntentAnswer, IntentRequest } from './loop.js';

export interface ControlContext {
  readonly cfg: CoreConfig;
  state(): MonitorState;
  outcome(): Outcome;
  agentReachable(host: string): boolean;
  rows(): readonly CheckRowView[];
  history(n: number): readonly MoveRecord[];
  /** Cluster name and host addresses for the MHA-style report `history` prints. */
  readonly report?: ReportConfig;
  /** The anti-flapping block in force, if any (shown by `show`). */
  failoverBlock?(): FailoverBlock | null;
  /** Hosts with transactions the current writer lacks (errant GTIDs), shown by `show`. */
  errantHosts?(): Readonly<Record<string, readonly string[]>>;
  submit(req: IntentRequest, timeoutMs: number): Promise<IntentAnswer>;
  /** Bound for a writer move_role (sync timeout + 10 s). */
  readonly moveTimeoutMs: number;
  /** Bound for every other intent. */
  readonly intentTimeoutMs: number;
}

export interface ControlReply {
  readonly ok: boolean;
  readonly text: string;
  readonly json: Readonly<Record<string, unknown>>;
}

export const CONTROL_HELP = `Valid commands are:
    help                              - show this message
    ping                              - ping monitor
    show                              - show status
    checks [<host>|all [<check>|all]] - show checks status
    set_online <host>                 - set host <host> online
    set_offline <host>                - set host <host> offline
    mode                              - print current mode.
    set_active                        - switch into active mode.
    set_manual                        - switch into manual mode.
    set_passive                       - switch into passive mode.
    move_role [--force] <role> <host> - move exclusive role <role> to host <host>
                                        (Only use --force if you know what you are doing!)
    set_ip <ip> <host>                - set role with ip <ip> to host <host>
    ack [<host>]                      - clear the flapping history of host <host>; without a host,
                                        allow the next automatic failover (lift the failover block)
    history [<n>]                     - the last n failover / switchover records (default 10)
`;

const plain = (text: string, extra: Record<string, unknown> = {}): ControlReply => {
  const ok = !text.startsWith('ERROR');
  return { ok, text, json: { ok, reply: text, ...extra } };
};

const MODES: Record<string, Mode> = { set_active: 'ACTIVE', set_manual: 'MANUAL', set_passive: 'PASSIVE' };

function showJson(ctx: ControlContext): Record<string, unknown> {
  const s = ctx.state();
  const o = ctx.outcome();
  return {
    ok: true,
    mode: s.mode,
    passiveReason: s.passiveReason || null,
    activeMaster: s.activeMaster || null,
    hosts: ctx.cfg.hostNames.map((h) => ({
      name: h,
      ip: ctx.cfg.hosts[h]?.ip ?? '',
      mode: ctx.cfg.hosts[h]?.mode ?? '',
      state: s.hosts[h]?.state ?? 'UNKNOWN',
      roles: rolesOf(s.roles, h).map((r) => `${r.name}(${r.ip})`),
      agentReachable: ctx.agentReachable(h),
      flapping: s.hosts[h]?.flapping === true,
    })),
    failover: s.failover,
    failoverBlock: ctx.failoverBlock?.() ?? null,
    errant: ctx.errantHosts?.() ?? {},
    outcome: o,
    text: formatShow(s, ctx.cfg),
  };
}

function showText(ctx: ControlContext): string {
  const o = ctx.outcome();
  const status = o.code === 'NO_ACTION' ? '' : `# Status: ${o.code}: ${o.sentence}\n`;
  const b = ctx.failoverBlock?.() ?? null;
  const block = b === null || o.block === 'RECENT_FAILOVER' || o.block === 'HOOK_ABORTED' ? '' : `# Failover block: ${blockSentence(b, ctx.cfg)}\n`;
  return formatShow(ctx.state(), ctx.cfg) + status + block + errantWarnings(ctx);
}

/** A host with transactions the writer never got (an old writer that died before shipping its last
 * commits, or a write made on a replica) must be rebuilt or reconciled: say so, with the GTIDs. */
function errantWarnings(ctx: ControlContext): string {
  const writer = ctx.state().activeMaster;
  return Object.entries(ctx.errantHosts?.() ?? {})
    .map(([h, gtids]) => `# Warning: ${h} has transactions the writer ${writer || '(none)'} does not have (${gtids.join(', ')}): it is never promoted; reconcile or rebuild it\n`)
    .join('');
}

/** One summary line per record, then the report as MHA writes it (what report_script gets as --body). */
function historyText(records: readonly MoveRecord[], report: ReportConfig | undefined): string {
  if (records.length === 0) return 'No failover or switchover recorded.\n';
  return records.map((r) => [
    `${r.startedAt} ${r.kind} ${r.id}: ${r.oldWriter || 'nobody'} -> ${r.newWriter || 'nobody'}, ${r.outcome} in ${r.durationMs} ms`,
    formatMhaReport(reportFromMoveRecord(r, r.hooks ?? [], report)).trimEnd(),
  ].join('\n')).join('\n\n') + '\n';
}

const usage = (text: string): ControlReply => plain(`ERROR: ${text}`);

/** Runs one command line's words; never throws. */
export async function runControlCommand(words: readonly string[], ctx: ControlContext): Promise<ControlReply> {
  const [cmd = '', ...args] = words;
  const nargs = (n: number, form: string): ControlReply | null => (args.length === n ? null : usage(`Usage: ${form}`));
  const intent = async (req: IntentRequest, timeoutMs = ctx.intentTimeoutMs): Promise<ControlReply> => {
    const a = await ctx.submit(req, timeoutMs);
    return { ok: a.ok, text: a.reply, json: { ok: a.ok, reply: a.reply } };
  };
  switch (cmd) {
    case 'help':
      return { ok: true, text: CONTROL_HELP, json: { ok: true, reply: CONTROL_HELP } };
    case 'ping':
      return plain('OK: Pinged successfully!');
    case 'show':
      return { ok: true, text: showText(ctx), json: showJson(ctx) };
    case 'mode': {
      const m = ctx.state().mode;
      return { ok: true, text: m, json: { ok: true, mode: m } };
    }
    case 'checks': {
      if (args.length > 2) return usage('Usage: checks [<host>|all [<check>|all]]');
      const [host, check] = args;
      if (host !== undefined && host !== 'all' && ctx.cfg.hosts[host] === undefined) return usage(`Unknown host name '${host}'!`);
      const rows = selectRows(ctx.rows(), host, check);
      return { ok: true, text: formatChecks(rows), json: { ok: true, checks: rows } };
    }
    case 'set_active':
    case 'set_manual':
    case 'set_passive': {
      const mode = MODES[cmd];
      return nargs(0, cmd) ?? (mode === undefined ? usage('bad mode') : intent({ kind: 'set_mode', mode }));
    }
    case 'ack':
      // Without a host: the cluster-level ack of the anti-flapping failover block.
      if (args.length === 0) return intent({ kind: 'ack', host: '' });
      return nargs(1, 'ack [<host>]') ?? (args[0] === undefined ? usage('host missing') : intent({ kind: 'ack', host: args[0] }));
    case 'set_online':
    case 'set_offline': {
      const host = args[0];
      return nargs(1, `${cmd} <host>`) ?? (host === undefined ? usage('host missing') : intent({ kind: cmd, host }));
    }
    case 'set_ip': {
      const [ip, host] = args;
      return nargs(2, 'set_ip <ip> <host>') ?? (ip === undefined || host === undefined ? usage('set_ip <ip> <host>') : intent({ kind: 'set_ip', ip, host }));
    }
    case 'move_role': {
      const force = args[0] === '--force';
      const rest = force ? args.slice(1) : args;
      const [role, host] = rest;
      if (rest.length !== 2 || role === undefined || host === undefined) return usage('Usage: move_role [--force] <role> <host>');
      const writer = role === ctx.cfg.activeMasterRole;
      return intent({ kind: 'move_role', role, host, force }, writer ? ctx.moveTimeoutMs : ctx.intentTimeoutMs);
    }
    case 'history': {
      if (args.length > 1) return usage('Usage: history [<n>]');
      const n = args[0] === undefined ? 10 : Number(args[0]);
      if (!Number.isInteger(n) || n < 1) return usage(`history: N must be a positive integer, got '${args[0] ?? ''}'`);
      const records = ctx.history(n);
      return { ok: true, text: historyText(records, ctx.report), json: { ok: true, records } };
    }
    default:
      return usage(`Unknown command '${cmd}'. Try 'help'.`);
  }
}
