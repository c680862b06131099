// GTID arithmetic for failover records: which transactions the old writer had that the new writer
// did not when it was promoted (MariaDB `domain-server-seq` lists, compared per domain).
import { parseMariaGtidList } from '@mmm-ts/protocol/mysql';

/** The highest seq per domain over several positions (a host's binlog and slave positions). */
function maxByDomain(lists: readonly (string | null | undefined)[]): Map<number, { server: number; seq: bigint }> | null {
  const out = new Map<number, { server: number; seq: bigint }>();
  let any = false;
  for (const text of lists) {
    if (text === null || text === undefined) continue;
    const parsed = parseMariaGtidList(text);
    if (parsed === null) return null;
    any = true;
    for (const g of parsed) {
      const prev = out.get(g.domain);
      if (prev === undefined || g.seq > prev.seq) out.set(g.domain, { server: g.server, seq: g.seq });
    }
  }
  return any ? out : null;
}

/** GTID ranges in `had` missing from `have` (`domain-server-from..to` each), [] when none; null
 * when either side is unknown or malformed. */
export function gtidsMissing(had: string | null | undefined, have: readonly (string | null | undefined)[]): string[] | null {
  const old = maxByDomain([had]);
  const neu = maxByDomain(have);
  if (old === null || neu === null) return null;
  const out: string[] = [];
  for (const [domain, o] of [...old.entries()].sort((a, b) => a[0] - b[0])) {
    const n = neu.get(domain)?.seq ?? 0n;
    if (n < o.seq) out.push(n + 1n === o.seq ? `${domain}-${o.server}-${o.seq}` : `${domain}-${o.server}-${n + 1n}..${o.seq}`);
  }
  return out;
}

/** The last GTID position seen per host (kept when a host stops answering: the old writer's last
 * known position is what a failover record compares against). */
export class GtidMemory {
  private readonly pos = new Map<string, { readonly position: string; readonly at: number }>();

  /** Remembers a non-empty position seen at `at` (ms); the latest read wins. */
  note(host: string, position: string | null | undefined, at: number): void {
    if (position === null || position === undefined || position === '') return;
    const prev = this.pos.get(host);
    if (prev !== undefined && prev.at > at) return;
    this.pos.set(host, { position, at });
  }

  get(host: string): string | null {
    return this.pos.get(host)?.position ?? null;
  }

  /** When the position was last read (ms), null if never. */
  at(host: string): number | null {
    return this.pos.get(host)?.at ?? null;
  }
}
