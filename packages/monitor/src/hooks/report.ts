// The failover report as MHA mails it (subject, then a body): each phase with its timing, the new master,
// the repointed replicas, the transactions the new master did not have, the hooks run. `mmm-control
// history` prints it and report_script receives it as --subject/--body.
import type { FailoverKind } from '../core/index.js';
import type { GtidsAtRisk, MoveRecord, MoveStep } from '../daemon/history.js';
import { describeFailure } from './policy.js';
import type { HookRun } from './types.js';

// The record types are daemon/history.ts's own; a type-only import creates no runtime cycle.
export type MoveStepLike = MoveStep;
export type GtidsAtRiskLike = GtidsAtRisk;
/** The history record the report is built from. */
export type MoveRecordLike = MoveRecord;

/** What the report needs of the config (a ClusterConfig is one): host addresses and the cluster name. */
export interface ReportConfig {
  readonly cluster: string;
  readonly hosts: Readonly<Record<string, { readonly ip: string; readonly mysqlPort: number }>>;
}

export interface ReportHost {
  readonly host: string;
  readonly ip: string | null;
  readonly port: number | null;
}

export interface ReportPhase {
  readonly number: number;
  readonly name: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: readonly MoveStepLike[];
  readonly hooks: readonly HookRun[];
}

/** Everything the report says; built from the daemon's MoveRecord by reportFromMoveRecord. */
export interface FailoverReport {
  readonly id: string;
  readonly kind: FailoverKind;
  readonly cluster: string;
  readonly cause: { readonly code: string; readonly sentence: string };
  readonly origMaster: ReportHost;
  /** null when no host was chosen. */
  readonly newMaster: ReportHost | null;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  /** Only phases with something in them, in order. */
  readonly phases: readonly ReportPhase[];
  readonly repointed: readonly { readonly host: ReportHost; readonly ok: boolean; readonly detail: string }[];
  readonly gtidsAtRisk: GtidsAtRiskLike;
  readonly hooks: readonly HookRun[];
  readonly outcome: MoveRecordLike['outcome'];
  readonly sentence: string;
}

const FAILOVER_PHASES = ['Configuration Check Phase', 'Dead Master Shutdown Phase', 'Master Recovery Phase', 'Slaves Recovery Phase', 'Report Phase'];
const SWITCHOVER_PHASES = ['Configuration Check Phase', 'Rejecting Updates Phase', 'Switching Master Phase', 'Switching Slaves Phase', 'Report Phase'];
const STEP_PHASE: Readonly<Record<string, number>> = {
  detected: 1, release_old_writer: 2, demotion_failed: 2, promote_new_writer: 3, promoted: 3, repoint_replica: 4,
};
const HOOK_PHASE: Readonly<Record<HookRun['command'], number>> = { status: 1, stop: 2, stopssh: 2, start: 3, report: 5 };

const ms = (iso: string): number => Date.parse(iso);

function hostOf(name: string, cfg: ReportConfig | undefined): ReportHost {
  const h = cfg?.hosts[name];
  return { host: name, ip: h?.ip ?? null, port: h?.mysqlPort ?? null };
}

/** MHA's host info: `db1(10.0.0.11:3306)`, or the bare name when the address is unknown. */
export function hostInfo(h: ReportHost): string {
  return h.ip === null ? h.host : `${h.host}(${h.ip}:${h.port ?? '?'})`;
}

/** Builds the report of one history record plus the hook runs of that move. */
export function reportFromMoveRecord(record: MoveRecordLike, hookRuns: readonly HookRun[], cfg?: ReportConfig): FailoverReport {
  const names = record.kind === 'switchover' ? SWITCHOVER_PHASES : FAILOVER_PHASES;
  const buckets = names.map(() => ({ steps: [] as MoveStepLike[], hooks: [] as HookRun[] }));
  let current = 1;
  for (const s of record.steps) {
    current = STEP_PHASE[s.name] ?? current;
    buckets[current - 1]?.steps.push(s);
  }
  for (const r of hookRuns) buckets[HOOK_PHASE[r.command] - 1]?.hooks.push(r);
  const phases: ReportPhase[] = [];
  buckets.forEach((b, i) => {
    if (b.steps.length === 0 && b.hooks.length === 0) return;
    const spans = [...b.steps, ...b.hooks].map((x) => ({ start: ms(x.startedAt), end: ms(x.startedAt) + x.durationMs }));
    const start = Math.min(...spans.map((x) => x.start));
    const end = Math.max(...spans.map((x) => x.end));
    phases.push({ number: i + 1, name: names[i] ?? '', startedAt: new Date(start).toISOString(), durationMs: end - start, steps: b.steps, hooks: b.hooks });
  });
  return {
    id: record.id,
    kind: record.kind,
    cluster: cfg?.cluster ?? '',
    cause: record.cause,
    origMaster: hostOf(record.oldWriter, cfg),
    newMaster: record.newWriter === '' ? null : hostOf(record.newWriter, cfg),
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.durationMs,
    phases,
    repointed: record.steps.filter((s) => s.name === 'repoint_replica').map((s) => ({ host: hostOf(s.host, cfg), ok: s.result === 'ok', detail: s.detail })),
    gtidsAtRisk: record.gtidsAtRisk,
    hooks: hookRuns,
    outcome: record.outcome,
    sentence: record.sentence,
  };
}

const verb = (r: FailoverReport): string => (r.kind === 'switchover' ? 'switchover' : 'failover');
const failures = (r: FailoverReport): number =>
  r.repointed.filter((x) => !x.ok).length + r.hooks.filter((h) => !h.ok && h.command !== 'report').length;

/** MHA's mail subject: `<cluster>: MySQL Master failover <old> to <new> succeeded` (the tail only as far as it got). */
export function reportSubject(r: FailoverReport): string {
  const head = `${r.cluster === '' ? '' : `${r.cluster}: `}MySQL Master ${verb(r)} ${hostInfo(r.origMaster)}`;
  if (r.outcome !== 'promoted' || r.newMaster === null) return head;
  return `${head} to ${hostInfo(r.newMaster)}${failures(r) === 0 ? ' succeeded' : ''}`;
}

function hookLine(h: HookRun): string {
  const status = h.ok ? 'exit 0' : describeFailure(h);
  const tail = h.ok || h.stderr.trim() === '' ? '' : `: ${h.stderr.trim().split('\n')[0] ?? ''}`;
  return `${h.hook} --command=${h.command}  ${status}  ${h.durationMs} ms${tail}`;
}

function ending(r: FailoverReport): string {
  const to = r.newMaster === null ? 'nobody' : hostInfo(r.newMaster);
  const what = r.kind === 'switchover' ? 'Switching master' : 'Master failover';
  if (r.outcome === 'aborted') return `${what} aborted: ${r.sentence}`;
  if (r.outcome === 'promote_failed') return `${what} to ${to} failed: ${r.sentence}`;
  const n = failures(r);
  return n === 0 ? `${what} to ${to} completed successfully.` : `${what} to ${to} done, but ${n} step(s) failed.`;
}

/** The report's text in MHA's style (what MHA logs under "----- Failover Report -----"). */
export function formatMhaReport(r: FailoverReport): string {
  const lines: string[] = [`----- ${r.kind === 'switchover' ? 'Switchover' : 'Failover'} Report -----`, '', reportSubject(r), ''];
  if (r.kind === 'switchover') lines.push(`Switching master ${hostInfo(r.origMaster)} to ${r.newMaster === null ? 'nobody' : hostInfo(r.newMaster)} (operator request).`);
  else lines.push(`Master ${hostInfo(r.origMaster)} is down!`);
  lines.push(`Cause: ${r.cause.code}: ${r.cause.sentence}`);
  const mode = r.kind === 'failover' ? 'automated(non-interactive) failover' : r.kind === 'forced_switchover' ? 'forced switchover' : 'online switchover';
  lines.push(`Started ${mode} at ${r.startedAt} (id ${r.id}); ${r.durationMs} ms in all.`, '');
  for (const p of r.phases) {
    lines.push(`* Phase ${p.number}: ${p.name}: ${p.durationMs} ms`);
    const rows = [
      ...p.steps.map((s) => ({ at: s.startedAt, text: `${s.name.padEnd(20)} ${(s.host || '-').padEnd(8)} ${String(s.durationMs).padStart(6)} ms  ${s.result}${s.detail === '' ? '' : `  ${s.detail}`}` })),
      ...p.hooks.map((h) => ({ at: h.startedAt, text: `hook ${hookLine(h)}` })),
    ].sort((a, b) => ms(a.at) - ms(b.at));
    for (const row of rows) lines.push(`    ${row.at}  ${row.text}`);
  }
  lines.push('', `New master: ${r.newMaster === null ? 'none' : hostInfo(r.newMaster)}${r.outcome === 'promoted' ? '' : ` (${r.outcome})`}`);
  lines.push(r.repointed.length === 0 ? 'Repointed replicas: none' : 'Repointed replicas:');
  const newInfo = r.newMaster === null ? 'nobody' : hostInfo(r.newMaster);
  for (const x of r.repointed) lines.push(x.ok ? `  ${hostInfo(x.host)}: OK: replicating from ${newInfo}.` : `  ${hostInfo(x.host)}: ERROR: ${x.detail}`);
  const g = r.gtidsAtRisk;
  const risk = g.missing === null ? g.note : g.missing.length === 0 ? g.note : `${g.missing.join(', ')} (${g.note})`;
  lines.push(`GTIDs at risk (transactions the new master did not have): ${risk}`);
  lines.push(`  old master last seen at ${g.oldWriterPos ?? 'unknown'}, new master at ${g.newWriterPos ?? 'unknown'}`);
  lines.push(r.hooks.length === 0 ? 'Hooks run: none' : 'Hooks run:');
  for (const h of r.hooks) lines.push(`  ${hookLine(h)}`);
  lines.push(ending(r));
  return `${lines.join('\n')}\n`;
}
