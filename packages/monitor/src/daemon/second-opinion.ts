// The second opinion on a failing writer (MHA's secondary check, without SSH): while the monitor's
// probes of the writer fail, every other agent is asked whether it can reach the writer's MySQL
// (CHECK_HOST). Only answers asked for after the failure began count, so a stale "ok" from before
// the fault never holds a failover back; the core holds it only on a positive "ok" (the monitor's
// own path is then the suspect), never on silence.
import type { Logger } from '@mmm-ts/protocol';
import type { CheckResult } from '../core/index.js';
import type { AgentClient } from './agents.js';

export interface SecondOpinionOptions {
  readonly agents: AgentClient;
  readonly hostNames: readonly string[];
  readonly enabled: boolean;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called when an answer arrives (the loop re-decides at once). */
  readonly onChange: () => void;
  /** Ask each agent at most this often while the writer fails [250]. */
  readonly intervalMs?: number;
}

interface Answer { readonly at: number; readonly result: CheckResult; readonly detail: string }

export class SecondOpinion {
  private writer = '';
  private failingSince: number | null = null;
  private readonly answers = new Map<string, Answer>();
  private readonly askedAt = new Map<string, number>();

  constructor(private readonly o: SecondOpinionOptions) {}

  /** Called every tick: the current writer and whether the monitor's probes of it are failing. */
  update(writer: string, failing: boolean): void {
    const now = this.o.now();
    if (writer !== this.writer || !failing) {
      this.writer = writer;
      this.failingSince = null;
      this.answers.clear();
      if (!failing || writer === '') return;
    }
    if (!this.o.enabled || writer === '') return;
    this.failingSince ??= now;
    for (const h of this.o.hostNames) {
      if (h === writer) continue;
      const last = this.askedAt.get(h);
      if (last !== undefined && now - last < (this.o.intervalMs ?? 250)) continue;
      this.askedAt.set(h, now);
      const since = this.failingSince;
      void this.o.agents.checkHost(h, writer).then((a) => {
        if (a === null || this.writer !== writer || this.failingSince !== since) return;
        const result: CheckResult = a.mysql === 'ok' ? 'ok' : 'fail';
        const prev = this.answers.get(h);
        this.answers.set(h, { at: this.o.now(), result, detail: `${a.mysql} ${a.replication} ${a.detail}`.trim() });
        if (prev?.result !== result) {
          this.o.logger.info({ event: 'second_opinion.answer', host: h, writer, mysql: a.mysql, replication: a.replication, detail: a.detail }, `${h} says the writer's MySQL is ${a.mysql}`);
          this.o.onChange();
        }
      });
    }
  }

  /** What `host`'s agent says about the writer now: ok / fail, or unknown (no fresh answer). */
  opinion(host: string): CheckResult {
    const a = this.answers.get(host);
    if (a === undefined || this.o.now() - a.at > 2_000) return 'unknown';
    return a.result;
  }
}
