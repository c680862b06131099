// One host × check loop: probe → fold into the trap → sleep → …, never two probes of the same loop at
// once. An urgent request cuts the sleep short (or queues one re-probe behind a running probe). While
// a run of refusals is not yet trapped the loop re-probes after refusedTrapMs instead of the interval,
// so a killed mysqld is confirmed by a second refusal ~100 ms after the first.
import type { Logger } from '@mmm-ts/protocol';
import type { CheckName } from '../core/index.js';
import type { Clock } from './probe-kit.js';
import { foldProbe, initialTrap, type ProbeResult, type TrapSettings, type TrapState } from './trap.js';

/** Timer functions, injectable so tests drive a virtual clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Minimum gap between the starts of two probes of one loop when re-probing urgently (ms). */
export const URGENT_MIN_GAP_MS = 20;

export interface LoopSettings extends TrapSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export interface LoopDeps {
  readonly host: string;
  readonly check: CheckName;
  readonly settings: LoopSettings;
  readonly probe: (timeoutMs: number) => Promise<ProbeResult>;
  readonly now: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Called after every fold (with whether the reported result changed). */
  readonly folded: (changed: boolean) => void;
}

export class CheckLoop {
  private state: TrapState;
  private running = false;
  private stopped = true;
  private urgentPending = false;
  private timer: unknown = null;
  private lastStart = -Infinity;
  private probes = 0;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly d: LoopDeps) {
    this.state = initialTrap(d.now());
  }

  get trap(): TrapState {
    return this.state;
  }

  /** Number of probes completed (for `settled`). */
  get completed(): number {
    return this.probes;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.fire();
  }

  /** Stops scheduling; resolves when a running probe has returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.current;
  }

  /** Probe as soon as possible (after a running probe, and at least URGENT_MIN_GAP_MS after the last start). */
  urgent(): void {
    if (this.stopped) return;
    if (this.running) {
      this.urgentPending = true;
      return;
    }
    this.clearTimer();
    this.schedule(Math.max(0, this.lastStart + URGENT_MIN_GAP_MS - this.d.now()));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.d.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = this.d.timers.setTimeout(() => {
      this.timer = null;
      this.fire();
    }, ms);
  }

  private fire(): void {
    if (this.stopped || this.running) return;
    this.running = true;
    this.lastStart = this.d.now();
    this.current = this.runOnce();
  }

  private async runOnce(): Promise<void> {
    const { settings } = this.d;
    let p: ProbeResult;
    try {
      p = await this.d.probe(settings.timeoutMs);
    } catch (e) {
      p = { kind: 'error', message: `probe threw: ${e instanceof Error ? e.message : String(e)}`, startedAt: this.lastStart, durationMs: this.d.now() - this.lastStart };
    }
    this.running = false;
    this.probes++;
    const before = this.state;
    this.state = foldProbe(before, p, this.d.now(), settings);
    const changed = before.reported !== this.state.reported;
    if (changed) this.logChange(before, this.state);
    if (!this.stopped) this.schedule(this.nextDelay());
    this.d.folded(changed);
  }

  private nextDelay(): number {
    const { settings } = this.d;
    if (this.urgentPending) {
      this.urgentPending = false;
      return Math.max(0, this.lastStart + URGENT_MIN_GAP_MS - this.d.now());
    }
    const s = this.state;
    const confirmingRefusal = s.failingSince !== null && s.allRefused && s.reported !== 'fail';
    if (confirmingRefusal) return Math.min(settings.intervalMs, settings.refusedTrapMs ?? settings.trapMs);
    return settings.intervalMs;
  }

  private logChange(from: TrapState, to: TrapState): void {
    const fields = {
      event: 'check.changed',
      host: this.d.host,
      check: this.d.check,
      from: from.reported,
      to: to.reported,
      ...(to.detail.kind !== undefined ? { kind: to.detail.kind } : {}),
      ...(to.failingSince !== null ? { failingMs: this.d.now() - to.failingSince, failures: to.failures } : {}),
    };
    if (to.reported === 'fail') this.d.logger.warn(fields, `${this.d.host} ${this.d.check}: ${to.lastMessage}`);
    else this.d.logger.info(fields, `${this.d.host} ${this.d.check}: ${to.lastMessage}`);
  }
}
