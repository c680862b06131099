// MMM's status file (`host|STATE|role(ip),…` one line per host) as two pure functions; writing it
// atomically (temp file + rename) is the shell's job.
import { err, ok, type Failure, type Result } from '@mmm-ts/protocol';
import type { CoreConfig } from './config.js';
import { rolesOf } from './roles.js';
import { HOST_STATE_LIST, type FailoverBlock, type HostState, type MonitorState, type Role } from './types.js';

export interface StoredHost {
  readonly state: HostState;
  readonly roles: readonly Role[];
}
export type StoredStatus = Readonly<Record<string, StoredHost>>;

export type StatusFileError = Failure<'CORE_STATUS_FILE_BAD_LINE'> & { readonly line: number };

/** The failover block's line (block.ts): shaped as a host line of an unknown host, so MMM's and older
 * MMM-TS parsers read past it (`@` never starts a configured host name). */
const BLOCK_HOST = '@failover_block';
const BLOCK_RE = /^@failover_block\|UNKNOWN\|(failover|hook_abort)\((\d+)\)$/;

/** The file's text for a state: hosts sorted, roles sorted as MMM writes them; then the failover block, if any. */
export function formatStatusFile(state: MonitorState, cfg: CoreConfig, block: FailoverBlock | null = null): string {
  const hosts = cfg.hostNames
    .map((h) => `${h}|${state.hosts[h]?.state ?? 'UNKNOWN'}|${rolesOf(state.roles, h).map((r) => `${r.name}(${r.ip})`).join(',')}\n`)
    .join('');
  return block === null ? hosts : `${hosts}${BLOCK_HOST}|UNKNOWN|${block.kind}(${block.at})\n`;
}

/** The failover block stored in the file's text, null when none (or unreadable: no block). */
export function parseStatusFileBlock(text: string): FailoverBlock | null {
  for (const line of text.split('\n')) {
    const m = BLOCK_RE.exec(line.replace(/\r$/, ''));
    if (m !== null) return { kind: m[1] === 'hook_abort' ? 'hook_abort' : 'failover', at: Number(m[2]) };
  }
  return null;
}

const ROLE_RE = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\(([0-9A-Fa-f:.]+)\)$/;

/** Parses the file; any malformed line is an error naming the line (the shell then starts without it). */
export function parseStatusFile(text: string): Result<StoredStatus, StatusFileError> {
  const out: Record<string, StoredHost> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith(`${BLOCK_HOST}|`)) continue;
    const bad = (why: string): Result<StoredStatus, StatusFileError> =>
      err({ code: 'CORE_STATUS_FILE_BAD_LINE', line: i + 1, message: `status file line ${i + 1} ${JSON.stringify(line)}: ${why}` });
    const parts = line.split('|');
    if (parts.length !== 3) return bad('expected host|STATE|roles');
    const [host = '', st = '', rolesText = ''] = parts;
    if (host === '') return bad('empty host name');
    if (!(HOST_STATE_LIST as readonly string[]).includes(st)) return bad(`unknown state ${JSON.stringify(st)}`);
    const roles: Role[] = [];
    for (const r of rolesText === '' ? [] : rolesText.split(',')) {
      const m = ROLE_RE.exec(r);
      if (m === null || m[1] === undefined || m[2] === undefined) return bad(`bad role ${JSON.stringify(r)}`);
      roles.push({ name: m[1], ip: m[2] });
    }
    out[host] = { state: st as HostState, roles };
  }
  return ok(out);
}
