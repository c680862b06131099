// The second opinion on a failing writer (MHA's secondary check, without SSH): while the monitor's
// probes of the writer fail, every other agent is asked whether it can reach the writer's MySQL
// (CHECK_HOST). Only answers asked for after the failure began count, so a stale "ok" from before
// the fault never holds a failover back; the core holds it only on a positive "ok" (the monitor's
// own path is then the suspect), never on silence.
//
// The same answers are the fence's quorum (docs/fencing.md): asked with `deny_ms`, an agent that
// answers "not ok" stops backing the writer in its failsafe rounds for that long. Once enough agents
// deny it that no backing majority is left, the writer fences itself within the agent's check time;
// the core promotes over it only `margin` after that quorum formed (writerDenial below).
import type { Logger } from '@mmm-ts/protocol';
import type { CheckResult, WriterDenial } from '../core/index.js';
import type { HostCheckAnswer } from './agents.js';

/** The part of the agent client this module uses. */
export interface CheckHostClient {
  checkHost(host: string, target: string, denyMs?: number): Promise<HostCheckAnswer | null>;
}

export interface SecondOpinionOptions {
  readonly agents: CheckHostClient;
  readonly hostNames: readonly string[];
  /** hooks.secondary_check: agents: an "ok" holds the failover back (opinion()). */
  readonly enabled: boolean;
  /** The fence's quorum: deny_ms sent with every CHECK_HOST (null: no denials are tracked). */
  readonly denyMs: number | null;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called when an answer arrives (the loop re-decides at once). */
  readonly onChange: () => void;
  /** Ask each agent at most this often while the writer fails [250]. */
  readonly intervalMs?: number;
  /** A denial counts while its agent still holds it this much longer [1000] (the core's margin). */
  readonly slackMs?: number;
}

interface Answer { readonly at: number; readonly result: CheckResult; readonly detail: string }

/** A host's unbroken run of denials: the first one's arrival, the latest one's request time. */
interface DenialRun { readonly firstAt: number; readonly lastAskedAt: number }

/** Strict majority of n agents (the agents' failsafe uses the same). */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Denials needed so that the writer plus the agents left cannot be a majority of n. */
export function denialsNeeded(n: number): number {
  return n - majorityOf(n) + 1;
}

export class SecondOpinion {
  private writer = '';
  private failingSince: number | null = null;
  private readonly answers = new Map<string, Answer>();
  private readonly askedAt = new Map<string, number>();
  private readonly runs = new Map<string, DenialRun>();

  constructor(private readonly o: SecondOpinionOptions) {}

  /** Called every tick: the current writer and whether the monitor's probes of it are failing. */
  update(writer: string, failing: boolean): void {
    const now = this.o.now();
    if (writer !== this.writer || !failing) {
      this.writer = writer;
      this.failingSince = null;
      this.answers.clear();
      this.runs.clear();
      if (!failing || writer === '') return;
    }
    if ((!this.o.enabled && this.o.denyMs === null) || writer === '') return;
    this.failingSince ??= now;
    for (const h of this.o.hostNames) {
      if (h === writer) continue;
      const last = this.askedAt.get(h);
      if (last !== undefined && now - last < (this.o.intervalMs ?? 250)) continue;
      this.askedAt.set(h, now);
      const since = this.failingSince;
      void this.o.agents.checkHost(h, writer, this.o.denyMs ?? undefined).then((a) => {
        if (a === null || this.writer !== writer || this.failingSince !== since) return;
        this.noteAnswer(h, writer, now, a);
      });
    }
  }

  private noteAnswer(h: string, writer: string, askedAt: number, a: HostCheckAnswer): void {
    const at = this.o.now();
    const result: CheckResult = a.mysql === 'ok' ? 'ok' : 'fail';
    if (this.o.denyMs !== null) {
      const run = this.runs.get(h);
      if (result === 'ok') this.runs.delete(h);
      // Unbroken while each denial reached the agent before the previous one ran out there.
      else if (run !== undefined && at <= run.lastAskedAt + this.o.denyMs) this.runs.set(h, { firstAt: run.firstAt, lastAskedAt: Math.max(run.lastAskedAt, askedAt) });
      else this.runs.set(h, { firstAt: at, lastAskedAt: askedAt });
    }
    const prev = this.answers.get(h);
    this.answers.set(h, { at, result, detail: `${a.mysql} ${a.replication} ${a.detail}`.trim() });
    if (prev?.result !== result) {
      this.o.logger.info({ event: 'second_opinion.answer', host: h, writer, mysql: a.mysql, replication: a.replication, detail: a.detail }, `${h} says the writer's MySQL is ${a.mysql}`);
      this.o.onChange();
    }
  }

  /** What `host`'s agent says about the writer now: ok / fail, or unknown (no fresh answer). */
  opinion(host: string): CheckResult {
    if (!this.o.enabled) return 'unknown';
    const a = this.answers.get(host);
    if (a === undefined || this.o.now() - a.at > 2_000) return 'unknown';
    return a.result;
  }

  /** The fence's quorum against the current writer (null: denials not tracked or no writer failing). */
  writerDenial(): WriterDenial | null {
    if (this.o.denyMs === null || this.writer === '' || this.failingSince === null) return null;
    const now = this.o.now();
    const slack = this.o.slackMs ?? 1_000;
    const live = [...this.runs.entries()]
      .filter(([, r]) => now + slack <= r.lastAskedAt + (this.o.denyMs ?? 0))
      .sort((a, b) => a[1].firstAt - b[1].firstAt);
    const needed = denialsNeeded(this.o.hostNames.length);
    const nth = live[needed - 1];
    return { host: this.writer, denying: live.map(([h]) => h), needed, quorumAt: nth === undefined ? null : nth[1].firstAt };
  }
}
