// `mmm-control checks` text as MMM prints it: `db1  ping         [last change: 2026/11/21 06:00:00]  OK`.
import type { CheckRowView } from './checks-source.js';

/** The check names as the operator types them (MMM's) and as the core names them. */
export const CHECK_NAMES: Readonly<Record<string, string>> = { ping: 'ping', mysql: 'mysql', rep_threads: 'repThreads', rep_backlog: 'repBacklog' };

const two = (n: number): string => String(n).padStart(2, '0');

/** MMM's local-time stamp `YYYY/MM/DD HH:MM:SS`. */
export function mmmTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The wire name of a check (`rep_threads`) from either spelling. */
export function mmmCheckName(name: string): string {
  for (const [wire, core] of Object.entries(CHECK_NAMES)) if (name === wire || name === core) return wire;
  return name;
}

/** Selects rows by host and check (`all` or absent = every one). */
export function selectRows(rows: readonly CheckRowView[], host: string | undefined, check: string | undefined): CheckRowView[] {
  return rows.filter((r) => (host === undefined || host === 'all' || r.host === host)
    && (check === undefined || check === 'all' || mmmCheckName(r.check) === mmmCheckName(check)));
}

/** One line per row, MMM's layout. */
export function formatChecks(rows: readonly CheckRowView[]): string {
  const width = Math.max(0, ...rows.map((r) => r.host.length));
  return rows.map((r) => {
    const state = r.state === 'ok' ? 'OK' : r.state === 'fail' ? `ERROR: ${r.message}` : `UNKNOWN: ${r.message}`;
    return `${r.host.padEnd(width)}  ${mmmCheckName(r.check).padEnd(11)}  [last change: ${mmmTime(r.since)}]  ${state}`;
  }).join('\n') + (rows.length > 0 ? '\n' : '');
}
