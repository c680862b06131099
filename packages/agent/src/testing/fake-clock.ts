// A clock whose sleep returns at once and advances `now`, for retry loops in unit tests.
import type { Clock } from '../clock.js';

export interface FakeClock extends Clock {
  readonly sleeps: number[];
}

/** Starts at `start` ms; each sleep(ms) is recorded and advances now by ms. */
export function createFakeClock(start = 0): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms) => { sleeps.push(ms); t += ms; return Promise.resolve(); },
  };
}
