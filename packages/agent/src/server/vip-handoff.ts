// The writer VIP hand-off: a released writer whose read_only is verified keeps its address a little
// longer, so a client connecting before its ARP entry follows the new writer's gratuitous ARP gets an
// immediate read-only error (it retries) instead of a SYN dropped on a host without the address
// (which costs it its whole connect timeout: the switchover bench's ~0.5 s mode). Never two writers:
// the old host is read-only (verified) while both hold the address; it drops it `ms` later, inside
// the agent's serial queue, unless the role came back meanwhile.
import type { Logger } from '@mmm-ts/protocol';

/** How long a released, verified read-only writer keeps its VIP [1 s]. */
export const VIP_HANDOFF_MS = 1_000;
/** Removal attempts before giving up (CLEAR_BAD_ROLES still removes it later). */
const MAX_ATTEMPTS = 10;

export interface VipHandoffOptions {
  readonly ms: number;
  /** Runs fn in the agent's serial queue. */
  readonly serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Whether the address belongs to a role held again (then it stays). */
  readonly held: (ip: string) => boolean;
  /** Removes the address; an error sentence or null. */
  readonly clear: (ip: string) => Promise<string | null>;
  readonly logger: Logger;
}

export class VipHandoff {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();

  constructor(private readonly o: VipHandoffOptions) {}

  /** 0 ms: no hand-off, a released writer drops its address at once (as before). */
  get enabled(): boolean {
    return this.o.ms > 0;
  }

  /** Keeps `ip` for `ms`, then removes it (a second call restarts the wait). */
  linger(ip: string): void {
    this.cancel(ip);
    const t = setTimeout(() => {
      this.timers.delete(ip);
      void this.o.serial(() => this.drop(ip, 'handoff_done'));
    }, this.o.ms);
    t.unref();
    this.timers.set(ip, t);
    this.o.logger.info({ event: 'agent.vip_handoff', ip, ms: this.o.ms }, 'writer released read-only; its address stays a moment for clients still pointed here');
  }

  /** The address is wanted again (the role came back): no removal. */
  cancel(ip: string): void {
    const t = this.timers.get(ip);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(ip);
  }

  /** Addresses waiting to be removed. */
  pending(): string[] {
    return [...this.timers.keys()];
  }

  /** Removes every waiting address now (agent shutdown); call inside the serial queue or at exit. */
  async flush(): Promise<void> {
    const ips = this.pending();
    for (const ip of ips) this.cancel(ip);
    for (const ip of ips) await this.drop(ip, 'handoff_flushed');
  }

  private async drop(ip: string, event: string): Promise<void> {
    if (this.o.held(ip)) { this.failures.delete(ip); return; }
    const error = await this.o.clear(ip);
    if (error === null) {
      this.failures.delete(ip);
      this.o.logger.info({ event: `agent.vip_${event}`, ip }, 'released writer address removed');
      return;
    }
    const n = (this.failures.get(ip) ?? 0) + 1;
    this.failures.set(ip, n);
    this.o.logger.error({ event: 'agent.vip_handoff_failed', ip, error, attempt: n }, 'could not remove the released writer address');
    if (n < MAX_ATTEMPTS) this.linger(ip);
  }
}
