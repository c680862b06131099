// The monitor's main loop: one tick every ~200 ms, or at once when the checks, an agent reply or an
// operator intent wakes it (coalesced, never two ticks at once). A tick takes one snapshot, calls the
// pure decide(), runs its commands phase by phase, and answers the intents it settled.
import type { Logger } from '@mmm-ts/protocol';
import {
  decide,
  type AgentCommand,
  type CoreConfig,
  type CoreEvent,
  type Intent,
  type MonitorState,
  type Outcome,
} from '../core/index.js';
import { commandKey, type AgentClient } from './agents.js';
import type { ChecksSource } from './checks-source.js';
import type { GtidMemory } from './gtid.js';
import type { History } from './history.js';
import { buildObservations } from './observations.js';
import type { SecondOpinion } from './second-opinion.js';

/** An intent as the control listener submits it (the loop gives it an id). */
export type IntentRequest = Intent extends infer I ? (I extends Intent ? Omit<I, 'id'> : never) : never;

export interface IntentAnswer {
  readonly ok: boolean;
  readonly reply: string;
}

export interface LoopOptions {
  readonly cfg: CoreConfig;
  readonly checks: ChecksSource;
  readonly agents: AgentClient;
  readonly logger: Logger;
  readonly initialState: MonitorState;
  readonly history?: History;
  /** Updated every tick with each host's GTID position from the checks. */
  readonly gtids?: GtidMemory;
  readonly now?: () => number;
  /** Pause between ticks when nothing wakes the loop [200]. */
  readonly tickMs?: number;
  /** A host gets an unchanged SET_STATUS (heartbeat) at most this often [1000]. */
  readonly heartbeatMs?: number;
  /** A host no command was sent to is pinged this often [1000]. */
  readonly pingMs?: number;
  /** Called after every tick whose state differs from the previous one (status file). */
  readonly onState?: (state: MonitorState) => Promise<void> | void;
  /** The agents' second opinion on a failing writer (hooks.secondary_check: agents). */
  readonly secondOpinion?: SecondOpinion;
}

interface Pending {
  readonly intent: Intent;
  readonly resolve: (a: IntentAnswer) => void;
  readonly timer: NodeJS.Timeout;
}

const kindOfEvent = (e: CoreEvent): 'info' | 'warn' =>
  e.event === 'failover.split_brain_risk' || e.event === 'agent.set_status_failed' || e.event === 'host.flapping' ? 'warn' : 'info';

/** The monitor's loop around decide(); see the file comment. */
export class MonitorLoop {
  private st: MonitorState;
  private outcome: Outcome = { code: 'NO_ACTION', sentence: 'not started' };
  private readonly queue: Intent[] = [];
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly now: () => number;
  private readonly hostIps: Record<string, string>;
  private ticks = 0;
  private writerFailing = false;

  constructor(private readonly o: LoopOptions) {
    this.st = o.initialState;
    this.now = o.now ?? Date.now;
    this.hostIps = {};
    for (const h of o.cfg.hostNames) this.hostIps[h] = o.cfg.hosts[h]?.ip ?? '';
  }

  state(): MonitorState {
    return this.st;
  }

  lastOutcome(): Outcome {
    return this.outcome;
  }

  tickCount(): number {
    return this.ticks;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Stops ticking, waits for the tick in flight, answers every waiting intent with an error. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, reply: 'ERROR: The monitor is shutting down.' });
      this.pending.delete(id);
    }
  }

  /** Runs a tick as soon as possible (coalesced with one in flight). */
  wake(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runTick(), 0);
  }

  /** Records an operator intent, wakes the loop, and resolves with its answer (or a timeout error). */
  submit(req: IntentRequest, timeoutMs: number): Promise<IntentAnswer> {
    const id = `i${++this.seq}`;
    const intent = { ...req, id } as Intent;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const qi = this.queue.findIndex((q) => q.id === id);
        if (qi >= 0) this.queue.splice(qi, 1);
        resolve({ ok: false, reply: `ERROR: timed out after ${timeoutMs} ms waiting for ${req.kind} to finish; check \`mmm-control show\`.` });
      }, timeoutMs);
      this.pending.set(id, { intent, resolve, timer });
      this.queue.push(intent);
      this.wake();
    });
  }

  private answer(id: string, a: IntentAnswer): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(a);
  }

  private runTick(): void {
    if (this.stopped || this.running !== null) return;
    this.running = this.tick()
      .catch((e: unknown) => {
        this.o.logger.error({ event: 'loop.tick_failed', err: e instanceof Error ? e.stack : String(e) }, 'tick failed');
      })
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        const delay = this.again ? 0 : (this.o.tickMs ?? 200);
        this.again = false;
        this.timer = setTimeout(() => this.runTick(), delay);
      });
  }

  /** One tick (exposed for tests that drive the loop by hand). */
  async tick(): Promise<void> {
    this.ticks++;
    const now = this.now();
    const intents = this.queue.splice(0, this.queue.length);
    const prev = this.st;
    const views = this.o.checks.observe(now);
    for (const [h, v] of Object.entries(views)) this.o.gtids?.note(h, v.gtidBinlogPos ?? v.replica?.gtidApplied, now);
    // The writer's first failing probe (before the trap reports it): ask the other agents for the
    // second opinion, and re-probe every other host at once so that the candidates' GTID positions
    // compared before a promotion are from after the fault, not up to 500 ms older.
    const w = prev.activeMaster;
    const failing = w !== '' && this.o.checks.rows().some((r) => r.host === w && (r.check === 'ping' || r.check === 'mysql') && (r.state === 'fail' || (r.failures ?? 0) > 0));
    if (failing && !this.writerFailing) for (const h of this.o.cfg.hostNames) if (h !== w) this.o.checks.urgent(h);
    this.writerFailing = failing;
    const so = this.o.secondOpinion;
    so?.update(w, failing);
    const obs = buildObservations({
      hostNames: this.o.cfg.hostNames,
      hostIps: this.hostIps,
      views,
      agents: this.o.agents,
      networkOk: this.o.checks.networkOk(),
      activeMaster: prev.activeMaster,
      intents,
      ...(so !== undefined ? { opinion: (h: string) => so.opinion(h) } : {}),
    });
    const r = decide(prev, obs, now, this.o.cfg);
    this.st = r.state;
    for (const e of r.events) this.o.logger[kindOfEvent(e)]({ ...e }, e.event);
    if (r.outcome.code !== this.outcome.code || r.outcome.sentence !== this.outcome.sentence) {
      const level = r.outcome.code === 'NO_ACTION' || r.outcome.code === 'OPERATOR_COMMAND' ? 'info' : 'warn';
      this.o.logger[level]({ event: 'loop.outcome', code: r.outcome.code, detection: r.outcome.detection, block: r.outcome.block }, r.outcome.sentence);
    }
    this.outcome = r.outcome;
    const f = r.state.failover ?? prev.failover;
    this.o.history?.onEvents(r.events, r.outcome, f === null ? null : { id: f.id, kind: f.kind, from: f.from, to: f.to }, now);
    const later = r.intentResults.filter((x) => x.afterCommands === true);
    for (const x of r.intentResults) if (x.afterCommands !== true) this.answer(x.id, { ok: x.ok, reply: x.reply });
    if (r.state !== prev && this.o.onState !== undefined) await this.o.onState(r.state);
    const failed = await this.runCommands(r.commands, now);
    for (const x of later) this.answer(x.id, failed === null ? { ok: x.ok, reply: x.reply } : { ok: false, reply: `ERROR: ${failed}` });
    await this.o.history?.endTick(this.now(), failed);
    this.pingIdle(r.commands);
  }

  /** Whether a command can be left out: not critical, same content as last sent, sent recently. */
  private rateLimited(c: AgentCommand, now: number): boolean {
    if (c.critical) return false;
    const rec = this.o.agents.record(c.host);
    return rec.lastSentKey === commandKey(c) && rec.lastSentAt !== undefined && now - rec.lastSentAt < (this.o.heartbeatMs ?? 1000);
  }

  /**
   * Phases in ascending order; a phase's commands start together; only critical ones are awaited
   * before the next phase (a hung replica's agent never delays a promotion). A failed critical
   * command stops the later phases; its error is returned.
   */
  private async runCommands(commands: readonly AgentCommand[], now: number): Promise<string | null> {
    const phases = [...new Set(commands.map((c) => c.phase))].sort((a, b) => a - b);
    for (const phase of phases) {
      const critical: Promise<string | null>[] = [];
      for (const c of commands.filter((x) => x.phase === phase)) {
        if (this.rateLimited(c, now)) continue;
        const p = this.runOne(c);
        if (c.critical) critical.push(p);
        else void p;
      }
      const errors = (await Promise.all(critical)).filter((e): e is string => e !== null);
      if (errors.length > 0) {
        this.o.logger.warn({ event: 'loop.critical_failed', phase, errors }, 'a critical command failed: later phases not sent this tick');
        return errors.join('; ');
      }
    }
    return null;
  }

  /** Sends one command; returns its error text or null. Never throws. */
  private async runOne(c: AgentCommand): Promise<string | null> {
    const started = this.now();
    const moveStep = c.purpose !== 'heartbeat' && this.o.history?.currentId() !== null;
    const out = await this.o.agents.setStatus(c);
    if (out.kind === 'skipped') return c.critical ? `request to ${c.host} skipped` : null;
    const error = out.kind === 'reply' ? (out.ok ? null : `${c.host}: ${out.payload}`) : `${c.host}: ${out.error.code}: ${out.error.message}`;
    if (error !== null) this.o.checks.urgent(c.host);
    if (moveStep) {
      const name = c.purpose === 'release' ? 'release_old_writer' : c.purpose === 'repoint' ? 'repoint_replica' : 'promote_new_writer';
      this.o.history?.onCommand(name, c.host, started, this.now() - started, error === null ? 'ok' : 'error', error ?? (out.kind === 'reply' ? out.payload : ''));
    }
    return error;
  }

  /** Hosts that got nothing this tick and had no contact for a while are pinged (reachability). */
  private pingIdle(commands: readonly AgentCommand[]): void {
    const now = this.now();
    const sent = new Set(commands.map((c) => c.host));
    for (const h of this.o.cfg.hostNames) {
      const rec = this.o.agents.record(h);
      if (rec.busy) continue;
      const last = Math.max(rec.lastContactAt ?? 0, rec.lastSentAt ?? 0);
      if (sent.has(h) && rec.lastSentAt !== undefined && now - rec.lastSentAt < (this.o.pingMs ?? 1000)) continue;
      if (now - last >= (this.o.pingMs ?? 1000)) void this.o.agents.ping(h);
    }
  }
}
