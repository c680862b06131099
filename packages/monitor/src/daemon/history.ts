// One record per writer move (failover or switchover), built from the core's events and the commands
// the loop ran for it: cause, every step with its start, duration and result, transactions at risk,
// outcome. Kept in memory (last 100) and appended as JSON lines to `<status_path>.history`.
import { appendFile, readFile } from 'node:fs/promises';
import type { Logger } from '@mmm-ts/protocol';
import type { CoreEvent, FailoverKind, Outcome } from '../core/index.js';
import type { HookRun } from '../hooks/index.js';
import { gtidsMissing } from './gtid.js';

export interface MoveStep {
  readonly name: string;
  readonly host: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly result: 'ok' | 'error' | 'skipped';
  readonly detail: string;
}

export interface GtidsAtRisk {
  /** The old writer's last known @@gtid_binlog_pos (null: never read). */
  readonly oldWriterPos: string | null;
  /** The new writer's positions when promoted (binlog and slave position). */
  readonly newWriterPos: string | null;
  /** GTID ranges the old writer had that the new writer did not; null when unknown. */
  readonly missing: readonly string[] | null;
  readonly note: string;
}

export interface MoveRecord {
  readonly id: string;
  readonly kind: FailoverKind;
  readonly cause: { readonly code: string; readonly sentence: string };
  readonly oldWriter: string;
  readonly newWriter: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly steps: readonly MoveStep[];
  readonly gtidsAtRisk: GtidsAtRisk;
  readonly outcome: 'promoted' | 'promote_failed' | 'aborted';
  readonly sentence: string;
  /** Every hook script run for this move (stop/shutdown, start, report), in order (docs/hooks.md);
   * absent in records written before the hooks were wired. */
  readonly hooks?: readonly HookRun[];
}

interface Open {
  id: string;
  kind: FailoverKind;
  cause: { code: string; sentence: string };
  oldWriter: string;
  newWriter: string;
  started: number;
  steps: MoveStep[];
  oldPos: string | null;
  oldPosAt: number | null;
  newPos: string | null;
  newSlavePos: string | null;
  ending: 'promoted' | 'aborted' | null;
  sentence: string;
  hooks: HookRun[];
}

/** Last known GTID positions of a host (null when never read). */
export type GtidLookup = (host: string) => { readonly binlog: string | null; readonly slave: string | null; readonly at?: number | null };

export interface HistoryOptions {
  /** `<status_path>.history`; null keeps records in memory only. */
  readonly file: string | null;
  readonly logger: Logger;
  readonly gtids: GtidLookup;
  readonly keep?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Collects writer moves into records; the loop feeds it events and command results. */
export class History {
  private readonly done: MoveRecord[] = [];
  private open: Open | null = null;
  private readonly keep: number;

  constructor(private readonly opts: HistoryOptions) {
    this.keep = opts.keep ?? 100;
  }

  /** Loads the records written by earlier runs (the last `keep`); a bad line is skipped. */
  async load(): Promise<void> {
    if (this.opts.file === null) return;
    let text: string;
    try {
      text = await readFile(this.opts.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const rec = JSON.parse(line) as MoveRecord;
        // A record amended later (the report hook's run) is written again: the last line wins.
        const i = this.done.findIndex((r) => r.id === rec.id);
        if (i >= 0) this.done.splice(i, 1);
        this.done.push({ ...rec, hooks: rec.hooks ?? [] });
      } catch {
        this.opts.logger.warn({ event: 'history.bad_line', file: this.opts.file }, 'skipping a malformed history line');
      }
    }
    this.done.splice(0, Math.max(0, this.done.length - this.keep));
  }

  /** The last n records, newest last. */
  last(n: number): MoveRecord[] {
    return this.done.slice(Math.max(0, this.done.length - n));
  }

  /** The id of the move in progress, if any. */
  currentId(): string | null {
    return this.open?.id ?? null;
  }

  /** Feeds one tick's events; `kind`/`from`/`to` come from the core's failover record when known. */
  onEvents(events: readonly CoreEvent[], outcome: Outcome, move: { id: string; kind: FailoverKind; from: string; to: string } | null, now: number): void {
    for (const e of events) {
      if (e.event !== 'failover.step') continue;
      if (e.step === 'started') {
        const o: Open = {
          id: e.id,
          kind: move?.id === e.id ? move.kind : e.id.startsWith('forced') ? 'forced_switchover' : e.id.startsWith('switchover') ? 'switchover' : 'failover',
          cause: { code: outcome.detection ?? outcome.code, sentence: outcome.sentence.replace(`${outcome.detection ?? ''}: `, '') },
          oldWriter: move?.from ?? '',
          newWriter: move?.to ?? '',
          started: now,
          steps: [],
          oldPos: this.opts.gtids(move?.from ?? '').binlog,
          oldPosAt: this.opts.gtids(move?.from ?? '').at ?? null,
          newPos: null,
          newSlavePos: null,
          ending: null,
          sentence: '',
          hooks: [],
        };
        this.open = o;
        o.steps.push({ name: 'detected', host: o.oldWriter, startedAt: iso(now), durationMs: 0, result: 'ok', detail: e.detail });
      } else if (this.open !== null && e.id === this.open.id) {
        const o = this.open;
        if (e.step === 'promoted') {
          o.ending = 'promoted';
          o.newWriter = e.detail.split(' ')[0] ?? o.newWriter;
          const g = this.opts.gtids(o.newWriter);
          o.newPos = g.binlog;
          o.newSlavePos = g.slave;
          o.sentence = outcome.sentence;
        } else if (e.step === 'aborted') {
          o.ending = 'aborted';
          o.sentence = outcome.sentence;
        }
        o.steps.push({ name: e.step, host: '', startedAt: iso(now), durationMs: 0, result: e.step === 'demotion_failed' || e.step === 'aborted' ? 'error' : 'ok', detail: e.detail });
      }
      if (e.event === 'failover.step' && this.open !== null && this.open.oldPos === null) {
        this.open.oldPos = this.opts.gtids(this.open.oldWriter).binlog;
      }
    }
  }

  /** One command run for move `id` (release, repoint, promote). A repoint that ends after the record
   * was written joins it in memory (and in the file when the record is written again, by the report). */
  onCommand(id: string, name: string, host: string, startedAt: number, durationMs: number, result: MoveStep['result'], detail: string): void {
    const step: MoveStep = { name, host, startedAt: iso(startedAt), durationMs, result, detail };
    if (this.open?.id === id) {
      this.open.steps.push(step);
      return;
    }
    const i = this.done.findIndex((r) => r.id === id);
    const rec = this.done[i];
    if (rec !== undefined) this.done[i] = { ...rec, steps: [...rec.steps, step] };
  }

  /** The record of move `id`, if kept. */
  byId(id: string): MoveRecord | null {
    return this.done.find((r) => r.id === id) ?? null;
  }

  /** Hook runs of the move in progress (stop/shutdown before the release, start after the promote). */
  onHooks(runs: readonly HookRun[]): void {
    this.open?.hooks.push(...runs);
  }

  /** Hook runs that came after the record was written (report_script): the record is kept and written again. */
  async amend(id: string, runs: readonly HookRun[]): Promise<void> {
    const i = this.done.findIndex((r) => r.id === id);
    const rec = this.done[i];
    if (rec === undefined || runs.length === 0) return;
    const next: MoveRecord = { ...rec, hooks: [...(rec.hooks ?? []), ...runs] };
    this.done[i] = next;
    await this.append(next);
  }

  private async append(rec: MoveRecord): Promise<void> {
    if (this.opts.file === null) return;
    try {
      await appendFile(this.opts.file, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    } catch (e) {
      this.opts.logger.error({ event: 'history.write_failed', file: this.opts.file, err: e instanceof Error ? e.message : String(e) }, 'cannot append to the history file');
    }
  }

  /** Ends the tick: a move that was promoted or aborted this tick becomes a record. */
  async endTick(now: number, criticalFailed: string | null): Promise<MoveRecord | null> {
    const o = this.open;
    if (o === null || o.ending === null) return null;
    this.open = null;
    const missing = gtidsMissing(o.oldPos, [o.newPos, o.newSlavePos]);
    const newPos = [o.newPos, o.newSlavePos].filter((x) => x !== null && x !== '').join(' / ') || null;
    const note = missing === null
      ? `unknown: ${o.oldPos === null ? `the old writer's GTID position was never read` : `the new writer's position was not read`}`
      : missing.length === 0 ? `none known: the new writer had every transaction the old writer was last seen with${o.oldPosAt === null ? '' : ` (read ${o.started - o.oldPosAt} ms before detection; later commits are not visible to the monitor)`}` : `${missing.length} range(s) the new writer did not have`;
    const outcome = o.ending === 'aborted' ? 'aborted' : criticalFailed === null ? 'promoted' : 'promote_failed';
    const rec: MoveRecord = {
      id: o.id,
      kind: o.kind,
      cause: o.cause,
      oldWriter: o.oldWriter,
      newWriter: o.newWriter,
      startedAt: iso(o.started),
      endedAt: iso(now),
      durationMs: now - o.started,
      steps: o.steps,
      gtidsAtRisk: { oldWriterPos: o.oldPos, newWriterPos: newPos, missing, note },
      outcome,
      sentence: criticalFailed === null ? o.sentence : `${o.sentence}; promotion failed: ${criticalFailed}`,
      hooks: o.hooks,
    };
    this.done.push(rec);
    this.done.splice(0, Math.max(0, this.done.length - this.keep));
    this.opts.logger.info({ event: 'failover.record', record: rec }, `${rec.kind} ${rec.id}: ${rec.outcome}`);
    await this.append(rec);
    return rec;
  }
}
