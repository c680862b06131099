// Reads MMM 2.2's config format (mmm_common.conf, mmm_agent.conf, mmm_mon.conf) into a small tree
// that remembers where every value came from, so the importer can point at file:line.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ImportProblem } from './problem.js';

/** One `key value` line. */
export interface MmmValue {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

/** `<kind name>` … `</kind>`; `name` is null for `<monitor>` and `<socket>`. */
export interface MmmSection {
  readonly kind: string;
  readonly name: string | null;
  readonly file: string;
  readonly line: number;
  readonly values: MmmValue[];
}

/** Everything read, in file order; a section opened twice (e.g. in two files) appears twice. */
export interface MmmTree {
  readonly global: MmmValue[];
  readonly sections: MmmSection[];
}

export type ReadFile = (path: string) => string;

const SECTION_OPEN = /^<\s*([A-Za-z_]+)(?:\s+([^\s>]+))?\s*>$/;
const SECTION_CLOSE = /^<\/\s*([A-Za-z_]+)\s*>$/;
const KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(.*))?$/;
/** Section kinds MMM 2.2 knows, and whether they take a name. */
const SECTION_KINDS: ReadonlyMap<string, boolean> = new Map([
  ['monitor', false], ['socket', false], ['host', true], ['role', true], ['check', true], ['copy_method', true],
]);

const defaultReadFile: ReadFile = (path) => readFileSync(path, 'utf8');

class Reader {
  readonly tree: MmmTree = { global: [], sections: [] };
  readonly problems: ImportProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly readFile: ReadFile) {}

  /** Reads one file (and its includes); `from` is the include line, for problems about reading it. */
  read(path: string, from: { file: string; line: number } | null): void {
    const full = resolve(path);
    // MMM's mmm_mon.conf usually includes mmm_common.conf, which users may also pass: read each once.
    if (this.seen.has(full)) return;
    this.seen.add(full);
    let text: string;
    try {
      text = this.readFile(path);
    } catch (e: unknown) {
      const why = e instanceof Error ? e.message : String(e);
      this.problems.push({ file: from?.file ?? path, line: from?.line ?? 0, code: 'IMPORT_READ_FAILED', message: `cannot read ${path}: ${why}` });
      return;
    }
    this.parse(path, text);
  }

  private problem(file: string, line: number, code: ImportProblem['code'], message: string): void {
    this.problems.push({ file, line, code, message });
  }

  private parse(file: string, text: string): void {
    let open: MmmSection | null = null;
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const line = i + 1;
      const s = raw.trim();
      if (s === '' || s.startsWith('#')) return;
      const close = SECTION_CLOSE.exec(s);
      if (close !== null) {
        if (open === null) this.problem(file, line, 'IMPORT_SYNTAX', `</${close[1] ?? ''}> closes no open section`);
        else if (open.kind !== close[1]) this.problem(file, line, 'IMPORT_SYNTAX', `</${close[1] ?? ''}> does not match <${open.kind}> opened at line ${open.line}`);
        else open = null;
        return;
      }
      const sec = SECTION_OPEN.exec(s);
      if (sec !== null) {
        const kind = sec[1] ?? '';
        const name = sec[2] ?? null;
        const named = SECTION_KINDS.get(kind);
        if (open !== null) this.problem(file, line, 'IMPORT_SYNTAX', `<${kind}> inside <${open.kind}> opened at line ${open.line}: sections do not nest (missing </${open.kind}>?)`);
        else if (named === undefined) this.problem(file, line, 'IMPORT_UNKNOWN_SECTION', `unknown section <${kind}> (MMM knows monitor, host, role, check, socket, copy_method)`);
        else if (named && name === null) this.problem(file, line, 'IMPORT_SYNTAX', `<${kind}> needs a name, e.g. <${kind} default>`);
        else if (!named && name !== null) this.problem(file, line, 'IMPORT_SYNTAX', `<${kind}> takes no name`);
        else {
          open = { kind, name, file, line, values: [] };
          this.tree.sections.push(open);
        }
        return;
      }
      if (s.startsWith('<')) {
        this.problem(file, line, 'IMPORT_SYNTAX', `malformed section line ${JSON.stringify(s)}`);
        return;
      }
      const kv = KEY_VALUE.exec(s);
      const key = kv?.[1];
      const value = kv?.[2]?.trim() ?? '';
      if (kv === null || key === undefined) {
        this.problem(file, line, 'IMPORT_SYNTAX', `expected \`key value\`, got ${JSON.stringify(s.slice(0, 60))}`);
        return;
      }
      if (value === '') {
        this.problem(file, line, 'IMPORT_SYNTAX', `\`${key}\` has no value`);
        return;
      }
      if (key === 'include') {
        if (open !== null) this.problem(file, line, 'IMPORT_SYNTAX', `include inside <${open.kind}>: MMM allows it only at top level`);
        else this.read(resolve(dirname(file), value), { file, line });
        return;
      }
      const v: MmmValue = { key, value, file, line };
      if (open === null) this.tree.global.push(v);
      else open.values.push(v);
    });
    if (open !== null) {
      const o: MmmSection = open;
      this.problem(file, o.line, 'IMPORT_SYNTAX', `<${o.kind}${o.name === null ? '' : ` ${o.name}`}> is never closed (missing </${o.kind}>)`);
    }
  }
}

/** Parses MMM config files in order, following `include` (relative to the including file). */
export function readMmmFiles(files: readonly string[], readFile: ReadFile = defaultReadFile): { tree: MmmTree; problems: ImportProblem[] } {
  const r = new Reader(readFile);
  for (const f of files) r.read(f, null);
  return { tree: r.tree, problems: r.problems };
}

/** MMM's booleans: yes/no, on/off, true/false, 1/0 (any case); null when none of these. */
export function parseMmmBool(s: string): boolean | null {
  const v = s.toLowerCase();
  if (['yes', 'on', 'true', '1'].includes(v)) return true;
  if (['no', 'off', 'false', '0'].includes(v)) return false;
  return null;
}

/** MMM's comma lists: `db1, db2` → ['db1', 'db2']. */
export function parseMmmList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}
