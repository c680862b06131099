// Polling for an outcome that arrives asynchronously (replication, ARP, a restarted server), bounded,
// so tests wait only as long as needed and fail with the last thing they saw.
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Give up after this long [5000]. */
  readonly timeoutMs?: number;
  /** Pause between attempts [20]. */
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until `done(value)` holds and returns that value; throws after the bound with the
 * last value (or the last error the probe threw) in the message.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  opts: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  let last = 'nothing yet';
  for (;;) {
    try {
      const v = await probe();
      if (done(v)) return v;
      last = `value ${JSON.stringify(v)}`;
    } catch (e) {
      last = `error ${e instanceof Error ? e.message : String(e)}`;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${opts.timeoutMs ?? 5000} ms; last: ${last}`);
    await sleep(opts.intervalMs ?? 20);
  }
}
