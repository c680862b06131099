// A seeded PRNG for fuzz tests: a failure names its seed, and rerunning with it reproduces the case.
export interface Rng {
  readonly seed: number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough to spread fuzz inputs. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
  };
}

/** The seed for this run: MMM_FUZZ_SEED if set, else a fixed default so CI is reproducible. */
export function fuzzSeed(defaultSeed: number): number {
  const env = process.env['MMM_FUZZ_SEED'];
  return env !== undefined && /^[0-9]+$/.test(env) ? Number(env) : defaultSeed;
}
