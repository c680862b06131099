// Privileges: which ones each MMM account needs per server flavour (lab-facts.md), read from SHOW GRANTS,
// and which accounts can write through read_only.
import { atLeast, type ServerFlavor } from '@mmm-ts/protocol/mysql';

/** Global privileges (`ON *.*`) and per-database ones, upper-case as SHOW GRANTS prints them. */
export interface GrantSet {
  readonly global: ReadonlySet<string>;
  readonly byDb: ReadonlyMap<string, ReadonlySet<string>>;
}

/** One needed privilege and the grants that provide it (first = the one to suggest). */
export interface Requirement {
  readonly anyOf: readonly string[];
}

const GRANT_RE = /^GRANT\s+(.+?)\s+ON\s+(\S+)\s+TO\s/i;

/** Parses SHOW GRANTS lines (role grants `GRANT role TO …` are skipped: not followed). */
export function parseGrants(lines: readonly string[]): GrantSet {
  const global = new Set<string>();
  const byDb = new Map<string, Set<string>>();
  for (const line of lines) {
    const m = GRANT_RE.exec(line.trim());
    if (m === null || m[1] === undefined || m[2] === undefined) continue;
    const privs = m[1].split(/\s*,\s*/).map((p) => p.trim().toUpperCase());
    const on = m[2].replace(/`/g, '');
    const target = on === '*.*' ? global : on.endsWith('.*') ? getSet(byDb, on.slice(0, -2).toLowerCase()) : null;
    if (target === null) continue;
    for (const p of privs) target.add(p);
    if (/WITH GRANT OPTION\s*$/i.test(line)) target.add('GRANT OPTION');
  }
  return { global, byDb };
}

function getSet(m: Map<string, Set<string>>, k: string): Set<string> {
  let s = m.get(k);
  if (s === undefined) {
    s = new Set();
    m.set(k, s);
  }
  return s;
}

const ALL = ['ALL PRIVILEGES', 'ALL'];

/** The requirements not met by `g`'s global grants, each named by the privilege to grant. */
export function missingPrivileges(g: GrantSet, reqs: readonly Requirement[]): string[] {
  if (ALL.some((a) => g.global.has(a))) return [];
  return reqs.filter((r) => !r.anyOf.some((p) => g.global.has(p))).map((r) => r.anyOf[0] ?? '?');
}

/** Whether the account may read every account's privileges (information_schema, SHOW GRANTS FOR). */
export function canReadAllGrants(g: GrantSet): boolean {
  const has = (s: ReadonlySet<string> | undefined): boolean => s !== undefined && ['SELECT', ...ALL].some((p) => s.has(p));
  return has(g.global) || has(g.byDb.get('mysql'));
}

const req = (...anyOf: string[]): Requirement => ({ anyOf });

/** What the agent account needs on this server (MariaDB ≥ 10.11: SUPER no longer implies READ_ONLY ADMIN). */
export function agentRequirements(f: ServerFlavor): Requirement[] {
  if (f.kind === 'mysql') {
    return [req('SYSTEM_VARIABLES_ADMIN', 'SUPER'), req('REPLICATION_SLAVE_ADMIN', 'SUPER'), req('REPLICATION CLIENT'),
      req('CONNECTION_ADMIN', 'SUPER'), req('PROCESS')];
  }
  if (!atLeast(f, 10, 5, 2)) return [req('SUPER'), req('REPLICATION CLIENT'), req('PROCESS')];
  return [
    atLeast(f, 10, 11) ? req('READ_ONLY ADMIN') : req('READ_ONLY ADMIN', 'SUPER'),
    req('REPLICATION SLAVE ADMIN', 'SUPER'),
    req('SLAVE MONITOR', 'REPLICA MONITOR', 'SUPER'),
    req('BINLOG MONITOR', 'REPLICATION CLIENT', 'SUPER'),
    req('CONNECTION ADMIN', 'SUPER'),
    req('PROCESS'),
  ];
}

/** What the monitor account needs: read replication and binlog status. */
export function monitorRequirements(f: ServerFlavor): Requirement[] {
  if (f.kind === 'mysql') return [req('REPLICATION CLIENT')];
  if (!atLeast(f, 10, 5, 2)) return [req('REPLICATION CLIENT')];
  return [req('BINLOG MONITOR', 'REPLICATION CLIENT', 'SUPER'), req('SLAVE MONITOR', 'REPLICA MONITOR', 'SUPER')];
}

export const REPLICATION_REQUIREMENTS: readonly Requirement[] = [req('REPLICATION SLAVE')];

/** Privileges that let an account write while read_only=1 (what read_only fencing relies on nobody having). */
export function bypassPrivileges(f: ServerFlavor): string[] {
  if (f.kind === 'mysql') return ['SUPER', 'CONNECTION_ADMIN'];
  return atLeast(f, 10, 11) ? ['READ_ONLY ADMIN'] : ['READ_ONLY ADMIN', 'SUPER'];
}

/** One row of information_schema.USER_PRIVILEGES (or mysql.global_grants). */
export interface PrivilegeRow {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

export interface BypassVerdict {
  /** Accounts holding a bypass privilege that are neither the agent nor administrators: application risk. */
  readonly offenders: string[];
  /** Administrators (WITH GRANT OPTION) that hold one: expected, listed for the record. */
  readonly admins: string[];
}

/** `'app'@'%'` → `app@%`. */
export function grantee(text: string): string {
  return text.replace(/'/g, '').replace(/`/g, '');
}

/** Sorts the accounts holding a bypass privilege into offenders and administrators. */
export function judgeBypass(rows: readonly PrivilegeRow[], bypass: readonly string[], exempt: readonly string[]): BypassVerdict {
  const holders = new Map<string, boolean>();
  for (const r of rows) {
    const who = grantee(r.grantee);
    if (!bypass.includes(r.privilege.toUpperCase())) continue;
    holders.set(who, (holders.get(who) ?? false) || r.grantable);
  }
  const exemptUsers = new Set(exempt);
  const offenders: string[] = [];
  const admins: string[] = [];
  for (const [who, grantable] of [...holders].sort(([a], [b]) => a.localeCompare(b))) {
    const user = who.slice(0, who.lastIndexOf('@'));
    if (exemptUsers.has(user)) continue;
    (grantable ? admins : offenders).push(who);
  }
  return { offenders, admins };
}
