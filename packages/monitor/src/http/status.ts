// The documents of GET /api/v1/status and GET /api/v1/history, built from the read-only source view
// (pure: a test feeds fake state and compares the JSON).
import { err, ok, type Failure, type Result } from '@mmm-ts/protocol';
import type { FailoverRecord, Mode, Outcome } from '../core/index.js';
import type { MoveRecord } from '../daemon/history.js';
import { writerOf, type HttpSource } from './source.js';

export interface CheckStatus {
  readonly state: string;
  /** When the reported state last changed (ISO 8601). */
  readonly since: string;
  readonly message: string;
  /** Duration of the last probe (ms) when known. */
  readonly lastDurationMs: number | null;
}

export interface HostStatus {
  readonly name: string;
  readonly ip: string;
  readonly mode: string;
  readonly state: string;
  /** When the host entered its state (ISO 8601), null when unknown. */
  readonly since: string | null;
  readonly flapping: boolean;
  readonly roles: readonly { readonly role: string; readonly ip: string }[];
  readonly agent: { readonly reachable: boolean; readonly lastError: string | null; readonly uptimeS: number | null };
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

export interface StatusDoc {
  readonly cluster: string;
  readonly mode: Mode;
  readonly passiveReason: string | null;
  readonly outcome: Outcome;
  readonly networkOk: boolean;
  readonly writer: string | null;
  readonly activeMaster: string | null;
  /** The writer move in progress, if any (the core's record). */
  readonly failoverInProgress: FailoverRecord | null;
  readonly hosts: readonly HostStatus[];
  /** The newest failover/switchover record, or null. */
  readonly lastFailover: MoveRecord | null;
}

const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** Builds the status document (GET /api/v1/status). */
export function buildStatus(src: HttpSource): StatusDoc {
  const s = src.state();
  const rows = src.rows();
  const hosts = src.cfg.hostNames.map((name): HostStatus => {
    const h = s.hosts[name];
    const a = src.agent(name);
    const checks: Record<string, CheckStatus> = {};
    for (const r of rows) {
      if (r.host !== name) continue;
      checks[r.check] = { state: r.state, since: iso(r.since) ?? '', message: r.message, lastDurationMs: r.lastDurationMs ?? null };
    }
    return {
      name,
      ip: src.cfg.hosts[name]?.ip ?? '',
      mode: src.cfg.hosts[name]?.mode ?? '',
      state: h?.state ?? 'UNKNOWN',
      since: h === undefined ? null : iso(h.since),
      flapping: h?.flapping === true,
      roles: s.roles.filter((r) => r.host === name).map((r) => ({ role: r.role, ip: r.ip })),
      agent: { reachable: a.reachable, lastError: a.lastError ?? null, uptimeS: a.uptimeS ?? null },
      checks,
    };
  });
  return {
    cluster: src.cluster,
    mode: s.mode,
    passiveReason: s.passiveReason === '' ? null : s.passiveReason,
    outcome: src.outcome(),
    networkOk: src.networkOk(),
    writer: writerOf(src),
    activeMaster: s.activeMaster === '' ? null : s.activeMaster,
    failoverInProgress: s.failover,
    hosts,
    lastFailover: src.history(1)[0] ?? null,
  };
}

export const HISTORY_DEFAULT_N = 20;
export const HISTORY_MAX_N = 100;

/** Reads `n` of GET /api/v1/history: absent → 20; an integer 1..100, else HTTP_BAD_PARAMETER (a 400). */
export function parseHistoryN(raw: string | null): Result<number, Failure<'HTTP_BAD_PARAMETER'>> {
  if (raw === null) return ok(HISTORY_DEFAULT_N);
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > HISTORY_MAX_N) {
    return err({ code: 'HTTP_BAD_PARAMETER', message: `n must be an integer from 1 to ${HISTORY_MAX_N}` });
  }
  return ok(Number(raw));
}

/** Builds the history document (GET /api/v1/history): the last n records, newest last. */
export function buildHistory(src: Pick<HttpSource, 'cluster' | 'history'>, n: number): { cluster: string; records: readonly MoveRecord[] } {
  return { cluster: src.cluster, records: src.history(n) };
}
