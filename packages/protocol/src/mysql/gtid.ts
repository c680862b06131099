// MariaDB GTID positions (`domain-server-seq,…`) compared per domain, so the agent can tell whether
// it already holds everything a peer had without waiting on the server.

export interface MariaGtid {
  readonly domain: number;
  readonly server: number;
  readonly seq: bigint;
}

const GTID_RE = /^(\d+)-(\d+)-(\d+)$/;

/** Parses a MariaDB GTID list; '' is the empty position; null when any element is malformed. */
export function parseMariaGtidList(text: string): MariaGtid[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: MariaGtid[] = [];
  for (const part of trimmed.split(',')) {
    const m = GTID_RE.exec(part.trim());
    if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
    out.push({ domain: Number(m[1]), server: Number(m[2]), seq: BigInt(m[3]) });
  }
  return out;
}

/**
 * Whether position `have` includes `want`: for every domain of `want`, `have` has that domain with a
 * seq_no at least as high (MASTER_GTID_WAIT's own rule). Null when either text is malformed.
 */
export function mariaGtidCovers(have: string, want: string): boolean | null {
  const h = parseMariaGtidList(have);
  const w = parseMariaGtidList(want);
  if (h === null || w === null) return null;
  const seqByDomain = new Map<number, bigint>();
  for (const g of h) {
    const prev = seqByDomain.get(g.domain);
    if (prev === undefined || g.seq > prev) seqByDomain.set(g.domain, g.seq);
  }
  return w.every((g) => {
    const s = seqByDomain.get(g.domain);
    return s !== undefined && s >= g.seq;
  });
}
