// Remembers the nonces of accepted requests for as long as their timestamp is fresh, so a captured
// request replayed at once or later is refused, with memory bounded even under a flood.

export const DEFAULT_AUTH_WINDOW_MS = 30_000;
export const DEFAULT_NONCE_CACHE_ENTRIES = 20_000;

export type NonceVerdict = 'fresh' | 'replay' | 'full';

export interface NonceCacheOptions {
  /** Accepted clock difference, ms, either way (default 30000). */
  readonly windowMs?: number;
  /** Most nonces held at once (default 20000); when full of unexpired nonces, new requests are refused. */
  readonly maxEntries?: number;
}

/**
 * Only requests whose MAC verified reach the cache (verifyRequest checks the MAC first), so filling it
 * needs the secret. A nonce is kept until `ts + windowMs`: after that its request is stale anyway.
 * When full it fails closed ('full') rather than forgetting a nonce that could then be replayed.
 */
export class NonceCache {
  readonly windowMs: number;
  readonly maxEntries: number;
  private readonly expiry = new Map<string, number>();

  constructor(opts: NonceCacheOptions = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_AUTH_WINDOW_MS;
    this.maxEntries = opts.maxEntries ?? DEFAULT_NONCE_CACHE_ENTRIES;
  }

  /** Records `nonce` (sent at `ts`) if unseen; 'replay' if already held, 'full' if no room. */
  check(nonce: string, ts: number, now: number): NonceVerdict {
    this.pruneFront(now);
    if (this.expiry.has(nonce)) return 'replay';
    if (this.expiry.size >= this.maxEntries) {
      this.sweep(now);
      if (this.expiry.size >= this.maxEntries) return 'full';
    }
    this.expiry.set(nonce, ts + this.windowMs);
    return 'fresh';
  }

  get size(): number {
    return this.expiry.size;
  }

  // Insertion order is roughly expiry order: drop expired entries from the front, O(1) amortised.
  private pruneFront(now: number): void {
    for (const [nonce, until] of this.expiry) {
      if (until >= now) return;
      this.expiry.delete(nonce);
    }
  }

  private sweep(now: number): void {
    for (const [nonce, until] of this.expiry) if (until < now) this.expiry.delete(nonce);
  }
}
