// The monitor's main loop: one tick every ~200 ms, or at once when the checks, an agent reply or an
// operator intent wakes it (coalesced, never two ticks at once). A tick takes one snapshot, calls the
// pure decide(), runs its commands phase by phase, and answers the intents it settled.
import type { Logger } from '@mmm-ts/protocol';
import {
  decide,
  type AgentCommand,
  type CoreConfig,
  type CoreEvent,
  type FailoverBlock,
  type Intent,
  type MonitorState,
  type Outcome,
} from '../core/index.js';
import { ackFailoverBlock, activeBlock, blockAfterEvents } from '../core/block.js';
import { commandKey, type AgentClient } from './agents.js';
import type { ChecksSource } from './checks-source.js';
import type { GtidMemory } from './gtid.js';
import type { History } from './history.js';
import { buildObservations } from './observations.js';
import type { SecondOpinion } from './second-opinion.js';
import { promotedMove, type MoveHooks, type PromotedMove } from './move-hooks.js';

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
  /** Called after every tick whose state or failover block differs from the previous one (status file). */
  readonly onState?: (state: MonitorState, block: FailoverBlock | null) => Promise<void> | void;
  /** MHA-compatible hooks around writer moves (docs/hooks.md); none when absent. */
  readonly hooks?: MoveHooks;
  /** The anti-flapping block restored from the status file. */
  readonly initialBlock?: FailoverBlock | null;
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
  private errant: Record<string, readonly string[]> = {};
  private block: FailoverBlock | null;
  private readonly reports = new Set<Promise<void>>();
  /** The non-critical commands of the last tick still in flight (the report waits for the repoints). */
  private lastSends: Promise<string | null>[] = [];

  constructor(private readonly o: LoopOptions) {
    this.st = o.initialState;
    this.block = o.initialBlock ?? null;
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

  /** Hosts holding transactions the current writer lacks (errant GTIDs), as of the last tick. */
  errantHosts(): Readonly<Record<string, readonly string[]>> {
    return this.errant;
  }

  /** The anti-flapping block in force, if any. */
  failoverBlock(): FailoverBlock | null {
    return activeBlock(this.block, this.now(), this.o.cfg);
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
    // report_script runs in the background; give the ones in flight their own bound (the hook's timeout).
    await Promise.all([...this.reports]);
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
    const queued = this.queue.splice(0, this.queue.length);
    // `mmm-control ack` without a host lifts the anti-flapping block (kept here, not in the core's state).
    const intents = queued.filter((i) => !(i.kind === 'ack' && i.host === ''));
    const blockBefore = this.block;
    for (const i of queued) {
      if (i.kind !== 'ack' || i.host !== '') continue;
      const a = ackFailoverBlock(this.block, now, this.o.cfg);
      this.block = a.block;
      this.o.logger.info({ event: 'failover.block_acknowledged' }, a.reply);
      this.answer(i.id, { ok: true, reply: a.reply });
    }
    const prev = this.st;
    const views = this.o.checks.observe(now);
    for (const [h, v] of Object.entries(views)) {
      if (v.gtidBinlogPos !== undefined && v.gtidBinlogPos !== null) this.o.gtids?.note(h, v.gtidBinlogPos, v.gtidReadAt ?? now);
      else this.o.gtids?.note(h, v.replica?.gtidApplied, now);
    }
    // The writer's first failing probe (before the trap reports it): ask the other agents for the
    // second opinion, and re-probe every other host at once so that the candidates' GTID positions
    // compared before a promotion are from after the fault, not up to 500 ms older.
    const w = prev.activeMaster;
    const failing = w !== '' && this.o.checks.rows().some((r) => r.host === w && (r.check === 'ping' || r.check === 'mysql') && (r.state === 'fail' || (r.failures ?? 0) > 0));
    if (failing && !this.writerFailing) for (const h of this.o.cfg.hostNames) if (h !== w) this.o.checks.urgent(h);
    this.writerFailing = failing;
    const so = this.o.secondOpinion;
    so?.update(w, failing);
    const built = buildObservations({
      hostNames: this.o.cfg.hostNames,
      hostIps: this.hostIps,
      views,
      agents: this.o.agents,
      networkOk: this.o.checks.networkOk(),
      activeMaster: prev.activeMaster,
      intents,
      ...(so !== undefined ? { opinion: (h: string) => so.opinion(h) } : {}),
    });
    this.errant = {};
    for (const h of this.o.cfg.hostNames) {
      const e = built.hosts[h]?.errant;
      if (e !== undefined && e !== null && e.length > 0) this.errant[h] = e;
    }
    const obs = { ...built, failoverBlock: activeBlock(this.block, now, this.o.cfg), moveHooks: this.o.hooks?.observation() ?? null, writerDenial: so?.writerDenial() ?? null };
    const r = decide(prev, obs, now, this.o.cfg);
    this.st = r.state;
    this.block = blockAfterEvents(this.block, r.events, r.outcome, now, this.o.cfg);
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
    // Hooks (docs/hooks.md): a move that needs them runs its stop hooks before its release is sent.
    let commands = r.commands;
    const stop = await this.o.hooks?.beforeCommands(r.state.failover) ?? null;
    if (stop !== null) {
      this.o.history?.onHooks(stop.runs);
      if (stop.obs.status === 'abort') {
        // The core learns it next tick (observation moveHooks) and aborts the move: send no part of it now.
        commands = commands.filter((c) => c.purpose !== 'release' && c.purpose !== 'promote');
        if (r.state.failover?.kind === 'failover') this.block = { kind: 'hook_abort', at: now };
      }
      this.again = true;
    }
    if ((r.state !== prev || this.block !== blockBefore) && this.o.onState !== undefined) await this.o.onState(r.state, this.block);
    const promoted = this.o.hooks === undefined ? null : promotedMove(r.events, prev.failover?.from ?? prev.activeMaster, r.state.activeMaster);
    const failed = await this.runCommands(commands, now, promoted);
    for (const x of later) this.answer(x.id, failed === null ? { ok: x.ok, reply: x.reply } : { ok: false, reply: `ERROR: ${failed}` });
    const rec = await this.o.history?.endTick(this.now(), failed);
    if (rec !== undefined && rec !== null && this.o.hooks !== undefined) {
      const h = this.o.history;
      const hooks = this.o.hooks;
      // The report names the replicas repointed: wait for those commands (each bounded by its timeout).
      const sends = this.lastSends;
      const p = Promise.all(sends).then(() => hooks.report(h?.byId(rec.id) ?? rec, async (runs) => { await h?.amend(rec.id, runs); }));
      this.reports.add(p);
      void p.finally(() => this.reports.delete(p));
    }
    this.pingIdle(commands);
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
  private async runCommands(commands: readonly AgentCommand[], now: number, promoted: PromotedMove | null = null): Promise<string | null> {
    const phases = [...new Set(commands.map((c) => c.phase))].sort((a, b) => a - b);
    this.lastSends = [];
    // A move confirmed this tick without a promote command (a switchover's target answered): start hook first.
    if (promoted !== null && !commands.some((c) => c.purpose === 'promote')) {
      const e = await this.startHook(promoted);
      if (e !== null) return e;
    }
    for (const phase of phases) {
      const critical: Promise<string | null>[] = [];
      for (const c of commands.filter((x) => x.phase === phase)) {
        if (this.rateLimited(c, now)) continue;
        const p = this.runOne(c);
        if (c.critical) critical.push(p);
        else this.lastSends.push(p);
      }
      const errors = (await Promise.all(critical)).filter((e): e is string => e !== null);
      if (errors.length > 0) {
        this.o.logger.warn({ event: 'loop.critical_failed', phase, errors }, 'a critical command failed: later phases not sent this tick');
        return errors.join('; ');
      }
      // The new writer took the role: its start hook runs before any replica is repointed (phase 3).
      if (promoted !== null && commands.some((c) => c.phase === phase && c.purpose === 'promote')) {
        const e = await this.startHook(promoted);
        if (e !== null) return e;
      }
    }
    return null;
  }

  /** The start hook of a move promoted this tick; its failure is returned like a failed critical command's. */
  private async startHook(m: PromotedMove): Promise<string | null> {
    const start = await this.o.hooks?.afterPromote(m) ?? null;
    if (start === null) return null;
    this.o.history?.onHooks(start.runs);
    if (start.proceed) return null;
    this.o.logger.warn({ event: 'loop.critical_failed', errors: [start.reason] }, 'the start hook failed: later phases not sent this tick');
    return `hook: ${start.reason}`;
  }

  /** Sends one command; returns its error text or null. Never throws. */
  private async runOne(c: AgentCommand): Promise<string | null> {
    const started = this.now();
    const moveId = c.purpose === 'heartbeat' ? null : this.o.history?.currentId() ?? null;
    const out = await this.o.agents.setStatus(c);
    if (out.kind === 'skipped') return c.critical ? `request to ${c.host} skipped` : null;
    const error = out.kind === 'reply' ? (out.ok ? null : `${c.host}: ${out.payload}`) : `${c.host}: ${out.error.code}: ${out.error.message}`;
    if (error !== null) this.o.checks.urgent(c.host);
    if (moveId !== null) {
      const name = c.purpose === 'release' ? 'release_old_writer' : c.purpose === 'repoint' ? 'repoint_replica' : 'promote_new_writer';
      this.o.history?.onCommand(moveId, name, c.host, started, this.now() - started, error === null ? 'ok' : 'error', error ?? (out.kind === 'reply' ? out.payload : ''));
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
