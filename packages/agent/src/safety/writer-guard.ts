// The agent's half of split-brain safety (docs/fencing.md): the writer lease, the failsafe check
// when it runs out, self-fencing, and what GET_FENCE_STATUS / PEER_STATUS report. Time is a
// monotonic clock passed in; role changes happen only inside the agent's serial queue.
import type { Logger } from '@mmm-ts/protocol';
import { askPeers, judgeFailsafe, type FailsafeVerdict, type PeerSend } from './failsafe.js';
import type { FenceOutcome } from './fence.js';
import type { FenceStatus } from './wire.js';

/** What the guard needs from the agent that owns it. */
export interface GuardHost {
  holdsWriter(): boolean;
  /** Runs fn in the agent's serial queue (never interleaved with SET_STATUS). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Forgets the writer role (memory only) and returns the writer IPs it held. */
  dropWriter(): string[];
}

export interface WriterGuardOptions {
  readonly writerLeaseMs: number;
  readonly failsafe: 'peers' | 'off';
  readonly self: string;
  /** Every other agent of the cluster. */
  readonly peers: readonly string[];
  /** Monotonic ms. */
  readonly now: () => number;
  readonly send: PeerSend;
  readonly fence: (ips: readonly string[]) => Promise<FenceOutcome>;
  readonly logger: Logger;
}

export class WriterGuard {
  private leaseUntil: number | null = null;
  private lastMonitorAt: number | null = null;
  private fencedAt: number | null = null;
  private holdingByFailsafe = false;
  private ipsToClear: string[] = [];
  private busy = false;
  /** Hosts this agent told the monitor it cannot reach (CHECK_HOST), until when (monotonic ms). */
  private readonly denials = new Map<string, number>();

  constructor(private readonly host: GuardHost, private readonly o: WriterGuardOptions) {}

  get enabled(): boolean {
    return this.o.writerLeaseMs > 0;
  }

  /** Monitor silence that lets a peer vouch for an expired writer: half a lease (docs/fencing.md). */
  get silenceMs(): number {
    return Math.floor(this.o.writerLeaseMs / 2);
  }

  /** A SET_STATUS or RENEW_LEASE arrived: the monitor is alive and acting. */
  noteMonitorContact(): void {
    this.lastMonitorAt = this.o.now();
  }

  /** ms since the monitor last sent SET_STATUS or RENEW_LEASE (null: never). */
  sinceMonitorMs(): number | null {
    return this.lastMonitorAt === null ? null : this.o.now() - this.lastMonitorAt;
  }

  /** A CHECK_HOST answer said `host`'s MySQL is not reachable from here: for `ms` this agent will not
   * support `host` in its failsafe rounds (the monitor counts on it before promoting: docs/fencing.md). */
  noteDenial(host: string, ms: number): void {
    const until = this.o.now() + ms;
    if ((this.denials.get(host) ?? -Infinity) < until) this.denials.set(host, until);
  }

  /** Whether a denial of `host` is in force. */
  denies(host: string): boolean {
    const until = this.denials.get(host);
    if (until === undefined) return false;
    if (this.o.now() < until) return true;
    this.denials.delete(host);
    return false;
  }

  /** RENEW_LEASE: extends the lease to now + ms (meaningful only while the writer role is held). */
  renew(ms: number): void {
    this.leaseUntil = this.o.now() + ms;
    this.holdingByFailsafe = false;
  }

  /** After a SET_STATUS, with whether it gave the writer role and whether the role is now held. */
  afterSetStatus(gaveWriter: boolean, holdsWriter: boolean): void {
    if (!holdsWriter) {
      this.leaseUntil = null;
      this.holdingByFailsafe = false;
      return;
    }
    if (gaveWriter) {
      // A fresh decision by the monitor: a full lease from now (the reply time), and not fenced any more.
      this.leaseUntil = this.o.now() + this.o.writerLeaseMs;
      this.holdingByFailsafe = false;
      if (this.fencedAt !== null) this.o.logger.info({ event: 'agent.unfenced' }, 'the monitor gave the writer role again');
      this.fencedAt = null;
      this.ipsToClear = [];
    }
  }

  /** At start-up with an adopted writer IP: the lease starts now, so a lone restarted writer fences. */
  writerAdopted(): void {
    this.leaseUntil = this.o.now() + this.o.writerLeaseMs;
  }

  /** Whether the writer's lease has run out without the failsafe holding (re-assertion then waits). */
  inDoubt(): boolean {
    return this.enabled && this.leaseUntil !== null && this.o.now() >= this.leaseUntil && !this.holdingByFailsafe;
  }

  fenceStatus(): FenceStatus {
    const now = this.o.now();
    const lease = this.enabled && this.leaseUntil !== null && this.host.holdsWriter() ? Math.max(0, this.leaseUntil - now) : null;
    return { fenced: this.fencedAt !== null, leaseRemainingMs: lease, sinceMs: this.fencedAt === null ? null : now - this.fencedAt };
  }

  /** One lease check (the agent calls it every ~150 ms); never overlaps itself, never throws. */
  async tick(): Promise<void> {
    if (!this.enabled || this.busy) return;
    this.busy = true;
    try {
      if (this.ipsToClear.length > 0) await this.host.serial(() => this.retryClear());
      if (!this.expired()) return;
      const verdict = await this.failsafe();
      await this.host.serial(async () => {
        if (!this.expired()) return; // renewed or released while the peers were asked
        if (verdict.hold) {
          if (!this.holdingByFailsafe) {
            this.o.logger.warn({ event: 'agent.failsafe_holding', reason: verdict.reason, reached: verdict.reached, needed: verdict.needed },
              'writer lease expired; keeping the writer role (failsafe)');
          }
          this.holdingByFailsafe = true;
          return;
        }
        await this.fence(verdict.reason);
      });
    } catch (e) {
      this.o.logger.error({ event: 'agent.lease_check_failed', err: e instanceof Error ? e.message : String(e) }, 'lease check failed');
    } finally {
      this.busy = false;
    }
  }

  private expired(): boolean {
    return this.host.holdsWriter() && this.leaseUntil !== null && this.o.now() >= this.leaseUntil;
  }

  private async failsafe(): Promise<FailsafeVerdict> {
    const reason = `writer lease expired ${this.leaseUntil === null ? 0 : this.o.now() - this.leaseUntil} ms ago`;
    if (this.o.failsafe === 'off') return { hold: false, reached: 1, needed: 1, reason: `${reason}; failsafe off` };
    const round = await askPeers(this.o.self, this.o.peers, this.o.send);
    const v = judgeFailsafe({ totalAgents: this.o.peers.length + 1, selfSinceMonitorMs: this.sinceMonitorMs(), round, silenceMs: this.silenceMs });
    return { ...v, reason: `${reason}; failsafe: ${v.reason}` };
  }

  private async fence(reason: string): Promise<void> {
    const ips = this.host.dropWriter();
    this.leaseUntil = null;
    this.holdingByFailsafe = false;
    this.fencedAt = this.o.now();
    const started = this.o.now();
    const out = await this.o.fence(ips);
    this.ipsToClear = [...out.ipsLeft];
    this.o.logger.error({ event: 'agent.fenced', reason, ips, readOnly: out.readOnly, errors: out.errors, tookMs: this.o.now() - started },
      'writer lease lost: fenced this host (writer IP removed, read_only set)');
  }

  private async retryClear(): Promise<void> {
    const out = await this.o.fence(this.ipsToClear);
    if (out.ipsLeft.length === 0) this.o.logger.info({ event: 'agent.fence_completed', ips: this.ipsToClear }, 'writer IP removed on retry');
    this.ipsToClear = [...out.ipsLeft];
  }
}
