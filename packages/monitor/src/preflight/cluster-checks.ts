// Checklist lines that compare hosts: same server family, safe auto_increment between the masters,
// exactly one writable host, and no errant GTIDs on the hosts that could be promoted or repointed.
import type { ClusterConfig } from '@mmm-ts/protocol/config';
import { errantGtidSet, errantGtids } from '@mmm-ts/protocol/mysql';
import { line } from './host-checks.js';
import type { HostFacts, PreflightLine } from './types.js';

export type FactsByHost = ReadonlyMap<string, HostFacts>;

/** All hosts run the same flavour and major.minor (a mixed cluster is supported only during upgrades). */
export function checkFamilies(facts: FactsByHost): PreflightLine | null {
  const kinds = new Map<string, string[]>();
  for (const [n, f] of facts) {
    const k = `${f.flavor.kind === 'mariadb' ? 'MariaDB' : 'MySQL'} ${f.flavor.major}.${f.flavor.minor}`;
    kinds.set(k, [...(kinds.get(k) ?? []), n]);
  }
  if (kinds.size <= 1) return null;
  const what = [...kinds].map(([k, ns]) => `${k} on ${ns.join(', ')}`).join('; ');
  return line('WARN', null, 'version', `mixed servers: ${what}`, 'fine during a rolling upgrade; replicate only from older to newer versions');
}

/** The masters' auto_increment settings keep their generated keys apart if both ever write. */
export function checkAutoIncrement(cfg: ClusterConfig, facts: FactsByHost): PreflightLine | null {
  const masters = cfg.hostNames.filter((n) => cfg.hosts[n]?.mode === 'master' && facts.has(n));
  if (masters.length < 2) return null;
  const vals = masters.map((n) => ({ n, inc: facts.get(n)?.vars.autoIncrementIncrement ?? 1, off: facts.get(n)?.vars.autoIncrementOffset ?? 1 }));
  const shown = vals.map((v) => `${v.n} ${v.inc}/${v.off}`).join(', ');
  const small = vals.filter((v) => v.inc < masters.length);
  const residues = new Set(vals.map((v) => v.off % Math.max(v.inc, 1)));
  const sameInc = new Set(vals.map((v) => v.inc)).size === 1;
  if (small.length === 0 && sameInc && residues.size === vals.length) {
    return line('PASS', null, 'auto_increment', `masters generate disjoint keys (increment/offset: ${shown})`);
  }
  return line('WARN', null, 'auto_increment', `masters may generate the same keys (increment/offset: ${shown})`,
    `set auto_increment_increment=${masters.length} on every master and a different auto_increment_offset (1…${masters.length}) on each, in my.cnf and SET GLOBAL`);
}

/** Which hosts are writable; the writer is the single one, when there is exactly one. */
export function writableHosts(facts: FactsByHost): string[] {
  return [...facts].filter(([, f]) => !f.vars.readOnly).map(([n]) => n).sort();
}

/** read_only on every host but the writer, and the writer allowed to hold the active master role. */
export function checkReadOnly(cfg: ClusterConfig, facts: FactsByHost): PreflightLine[] {
  const writable = writableHosts(facts);
  const eligible = cfg.roles[cfg.activeMasterRole]?.hosts ?? [];
  const out: PreflightLine[] = [];
  if (writable.length === 0) {
    out.push(line('WARN', null, 'read_only', 'read_only is ON everywhere: no host takes writes yet', 'normal before the monitor first starts; it makes one of the masters writable'));
  }
  for (const [n, f] of facts) {
    if (f.vars.readOnly) out.push(line('PASS', n, 'read_only', 'read_only ON'));
    else if (writable.length > 1) {
      out.push(line('FAIL', n, 'read_only', `read_only OFF, and also on ${writable.filter((w) => w !== n).join(', ')}: more than one host takes writes`,
        'SET GLOBAL read_only=1 on every host except the writer (and read_only=1 in every my.cnf, so a restarted server never takes writes)'));
    } else if (!eligible.includes(n)) {
      out.push(line('FAIL', n, 'read_only', `read_only OFF, but ${n} may not hold the ${cfg.activeMasterRole} role`, 'SET GLOBAL read_only=1 (and read_only=1 in my.cnf)'));
    } else out.push(line('PASS', n, 'read_only', `read_only OFF: the writer`));
  }
  return out;
}

/**
 * Errant transactions on every host but the writer: GTIDs nobody else has. A master that has them
 * cannot be promoted safely (FAIL); a replica that has them breaks on repoint under strict mode (WARN).
 */
export function checkErrant(cfg: ClusterConfig, facts: FactsByHost): PreflightLine[] {
  const writable = writableHosts(facts);
  if (facts.size < 2) return [];
  if (writable.length !== 1) {
    return [line('WARN', null, 'errant gtid', 'not checked: it needs exactly one writable host to compare against', 'see `read_only`')];
  }
  const out: PreflightLine[] = [];
  for (const [n, f] of facts) {
    if (n === writable[0]) continue;
    const others = [...facts].filter(([o]) => o !== n).map(([, of]) => of);
    const errant = f.flavor.kind === 'mariadb'
      ? errantGtids(f.vars.gtidOwn, others.flatMap((o) => [o.vars.gtidOwn, o.vars.gtidApplied].filter((s) => s !== '')))?.join(',') ?? null
      : errantGtidSet(f.vars.gtidOwn, others.map((o) => o.vars.gtidApplied));
    if (errant === null) out.push(line('WARN', n, 'errant gtid', 'not checked: a GTID position could not be parsed', 'compare @@gtid_binlog_state / @@gtid_executed by hand'));
    else if (errant === '') out.push(line('PASS', n, 'errant gtid', 'no transactions the other hosts lack'));
    else {
      const master = cfg.hosts[n]?.mode === 'master';
      out.push(line(master ? 'FAIL' : 'WARN', n, 'errant gtid', `has transactions no other host has: ${errant.slice(0, 300)}`,
        `written on ${n} by an account that bypasses read_only; inspect them (mysqlbinlog), then apply them on the writer or rebuild ${n} from it`));
    }
  }
  return out;
}
