// How config problems are collected and shown: every problem carries its place in the file so the
// operator can fix all of them in one pass.
import type { LineCounter } from 'yaml';
import type { ConfigProblem, ConfigProblemCode } from './types.js';

/** A place in the YAML text: a character offset, resolved to line:col when a problem is recorded. */
export type Offset = number;

/** One line per problem, `file:line:col: message (got value)`: the format every program prints. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return `${where}: ${p.message}${p.got !== undefined ? ` (got ${p.got})` : ''}`;
}

/** Quotes a YAML value with its type, as validation messages show it. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint') return `${String(v)} (a number)`;
  if (typeof v === 'boolean') return `${String(v)} (a boolean)`;
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map || typeof v === 'object') return 'a mapping';
  return typeof v;
}

/** Describes a secret's value by its type only, so a mistyped password never reaches a terminal. */
export function describeSecret(v: unknown): string {
  if (typeof v === 'string') return 'a string';
  return describeValue(v).replace(/^.* \((a [a-z]+)\)$/, '$1').replace(/^-?[0-9.e+]+$/, 'a number');
}

/** Accumulates problems for one file, turning offsets into line:col. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];

  constructor(
    readonly file: string,
    readonly lines: LineCounter | null,
  ) {}

  /** Records a problem at an offset in the text (null: the whole file, reported at 1:1). */
  add(at: Offset | null, code: ConfigProblemCode, message: string, got?: string): void {
    let line = 1;
    let col = 1;
    if (at !== null && this.lines !== null) {
      const pos = this.lines.linePos(at);
      line = pos.line;
      col = pos.col;
    }
    const p: ConfigProblem = got === undefined
      ? { file: this.file, line, col, code, message }
      : { file: this.file, line, col, code, message, got };
    this.items.push(p);
  }

  get count(): number {
    return this.items.length;
  }

  /** Problems in file order (stable for equal positions). */
  sorted(): ConfigProblem[] {
    return this.items
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.line - b.p.line || a.p.col - b.p.col || a.i - b.i)
      .map((x) => x.p);
  }
}
