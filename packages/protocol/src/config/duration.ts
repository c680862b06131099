// Durations are written for humans ("250ms", "5s", "1h", "1m30s") or as MMM's plain seconds,
// and held as whole milliseconds.
import { err, ok } from '../result.js';
import type { Result } from '../result.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses a duration; the error is the end of a sentence ("must be …") naming the accepted forms. */
export function parseDurationMs(v: string | number): Result<number, string> {
  let ms: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return err('must not be negative');
    ms = v * 1000;
  } else {
    const s = v.trim();
    if (s.startsWith('-')) return err('must not be negative');
    if (/^\d+(?:\.\d+)?$/.test(s)) {
      ms = Number(s) * 1000;
    } else if (WHOLE.test(s)) {
      ms = 0;
      for (const m of s.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    } else {
      return err('must be a duration with a unit ms, s, m or h (e.g. "500ms", "5s", "1.5s", "1h") or a number of seconds');
    }
  }
  const rounded = Math.round(ms);
  if (!Number.isFinite(ms) || Math.abs(ms - rounded) > 1e-6) return err('must be a whole number of milliseconds');
  if (rounded > Number.MAX_SAFE_INTEGER) return err('is too long');
  return ok(rounded);
}
