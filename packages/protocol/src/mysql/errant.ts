// Errant transactions: GTIDs a host holds that no other host of the cluster has, the kind that breaks
// replication (MariaDB error 1950 under gtid_strict_mode) or is lost when that host is promoted.
import { parseMariaGtidList } from './gtid.js';

/**
 * The candidate's MariaDB GTIDs (`domain-server-seq`, from gtid_binlog_state or gtid_current_pos)
 * that no other host explains: per domain, a GTID whose seq_no is beyond every other host's highest
 * seq_no in that domain (or a domain no other host has). With `candidateServerId`, only GTIDs the
 * candidate wrote itself are reported (what a local write on a replica looks like). With no others,
 * nothing can explain anything, so every GTID is reported. Null when any list is malformed.
 * Sound and simple, not complete: an errant GTID that others have since overtaken in seq_no (possible
 * only without gtid_strict_mode) is not seen.
 */
export function errantGtids(candidate: string, others: readonly string[], candidateServerId?: number): string[] | null {
  const mine = parseMariaGtidList(candidate);
  if (mine === null) return null;
  const maxByDomain = new Map<number, bigint>();
  for (const text of others) {
    const list = parseMariaGtidList(text);
    if (list === null) return null;
    for (const g of list) {
      const prev = maxByDomain.get(g.domain);
      if (prev === undefined || g.seq > prev) maxByDomain.set(g.domain, g.seq);
    }
  }
  const out: string[] = [];
  for (const g of mine) {
    if (candidateServerId !== undefined && g.server !== candidateServerId) continue;
    const max = maxByDomain.get(g.domain);
    if (max === undefined || g.seq > max) out.push(`${g.domain}-${g.server}-${g.seq}`);
  }
  return out;
}

/** One source's transactions in a MySQL GTID set: inclusive intervals, sorted and merged. */
type Intervals = Array<[bigint, bigint]>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RANGE_RE = /^(\d+)(?:-(\d+))?$/;

function merge(iv: Intervals): Intervals {
  const sorted = [...iv].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Intervals = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1n) last[1] = hi > last[1] ? hi : last[1];
    else out.push([lo, hi]);
  }
  return out;
}

/** Parses a MySQL GTID set (`uuid:1-5:7,uuid2:1-3`, newlines allowed); null when malformed. */
export function parseMysqlGtidSet(text: string): Map<string, Intervals> | null {
  const out = new Map<string, Intervals>();
  const trimmed = text.replace(/\s+/g, '');
  if (trimmed === '') return out;
  for (const part of trimmed.split(',')) {
    const [uuidRaw, ...ranges] = part.split(':');
    // MySQL 8.4 tagged GTIDs (uuid:tag:1-5) are not handled: refuse rather than misread.
    const uuid = (uuidRaw ?? '').toLowerCase();
    if (!UUID_RE.test(uuid) || ranges.length === 0) return null;
    const iv = out.get(uuid) ?? [];
    for (const r of ranges) {
      const m = RANGE_RE.exec(r);
      if (m === null || m[1] === undefined) return null;
      const lo = BigInt(m[1]);
      const hi = m[2] === undefined ? lo : BigInt(m[2]);
      if (lo < 1n || hi < lo) return null;
      iv.push([lo, hi]);
    }
    out.set(uuid, iv);
  }
  for (const [k, v] of out) out.set(k, merge(v));
  return out;
}

function subtract(a: Intervals, b: Intervals): Intervals {
  let rest: Intervals = a.map(([lo, hi]) => [lo, hi]);
  for (const [blo, bhi] of b) {
    const next: Intervals = [];
    for (const [lo, hi] of rest) {
      if (bhi < lo || blo > hi) { next.push([lo, hi]); continue; }
      if (blo > lo) next.push([lo, blo - 1n]);
      if (bhi < hi) next.push([bhi + 1n, hi]);
    }
    rest = next;
  }
  return rest;
}

/**
 * MySQL: the candidate's gtid_executed minus the union of the others' (GTID_SUBTRACT done locally),
 * as a GTID set text sorted by UUID; '' when nothing is errant; null when any set is malformed.
 */
export function errantGtidSet(candidate: string, others: readonly string[]): string | null {
  const mine = parseMysqlGtidSet(candidate);
  if (mine === null) return null;
  const union = new Map<string, Intervals>();
  for (const text of others) {
    const set = parseMysqlGtidSet(text);
    if (set === null) return null;
    for (const [uuid, iv] of set) union.set(uuid, [...(union.get(uuid) ?? []), ...iv]);
  }
  const parts: string[] = [];
  for (const uuid of [...mine.keys()].sort()) {
    const left = subtract(mine.get(uuid) ?? [], merge(union.get(uuid) ?? []));
    if (left.length === 0) continue;
    parts.push(`${uuid}:${left.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(':')}`);
  }
  return parts.join(',');
}
