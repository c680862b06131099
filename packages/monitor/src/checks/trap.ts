// MMM's trap semantics, made pure: a check is reported failed only after failing continuously for
// its trap period; OK is reported at once; UNKNOWN changes nothing. A "refused" failure (process
// dead, host up: certain) may use a shorter trap than a timeout (host, network or server hung:
// ambiguous), which is what lets a killed mysqld be acted on in well under a second.
import type { CheckDetail, CheckResult } from '../core/index.js';

export type ProbeKind = 'ok' | 'refused' | 'timeout' | 'error' | 'unknown';

/** One probe's raw result. */
export interface ProbeResult {
  readonly kind: ProbeKind;
  readonly message: string;
  /** When the probe started (ms): a failure counts from the moment it was first true. */
  readonly startedAt: number;
  /** How long the probe took (ms), for metrics. */
  readonly durationMs: number;
  /** Extra values a probe reports (replication lag, GTID positions…). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface TrapSettings {
  /** How long a check must fail continuously before it is reported failed. */
  readonly trapMs: number;
  /** The same for failures that are certain (connection refused); defaults to trapMs. */
  readonly refusedTrapMs?: number;
  /** Consecutive failing probes needed as well as the time (so one slow probe is never enough) [2]. */
  readonly minFailures?: number;
}

export interface TrapState {
  /** What is reported to the core. */
  readonly reported: CheckResult;
  readonly detail: CheckDetail;
  /** When the current run of failures started (ms), null while OK. */
  readonly failingSince: number | null;
  readonly failures: number;
  /** Whether every failure of the current run was a refusal. */
  readonly allRefused: boolean;
  /** When `reported` last changed (ms), for `mmm-control checks`. */
  readonly changedAt: number;
  readonly lastMessage: string;
  readonly last: ProbeResult | null;
}

export function initialTrap(now: number): TrapState {
  return { reported: 'unknown', detail: {}, failingSince: null, failures: 0, allRefused: true, changedAt: now, lastMessage: 'not checked yet', last: null };
}

/** Folds one probe result into the trap state at time `now`. */
export function foldProbe(s: TrapState, p: ProbeResult, now: number, t: TrapSettings): TrapState {
  if (p.kind === 'unknown') return { ...s, last: p, lastMessage: p.message };
  if (p.kind === 'ok') {
    const changed = s.reported !== 'ok';
    return { reported: 'ok', detail: {}, failingSince: null, failures: 0, allRefused: true, changedAt: changed ? now : s.changedAt, lastMessage: p.message, last: p };
  }
  const failingSince = s.failingSince ?? p.startedAt;
  const failures = s.failures + 1;
  const allRefused = (s.failingSince === null || s.allRefused) && p.kind === 'refused';
  const trap = allRefused ? (t.refusedTrapMs ?? t.trapMs) : t.trapMs;
  const trapped = failures >= (t.minFailures ?? 2) && now - failingSince >= trap;
  const detail: CheckDetail = { kind: p.kind, message: p.message };
  if (trapped) {
    const changed = s.reported !== 'fail';
    return { reported: 'fail', detail, failingSince, failures, allRefused, changedAt: changed ? now : s.changedAt, lastMessage: p.message, last: p };
  }
  // Not trapped yet: keep reporting what was reported before (MMM: a failure shows only after the trap).
  return { ...s, failingSince, failures, allRefused, lastMessage: p.message, last: p, detail: s.reported === 'fail' ? detail : s.detail };
}
