// Typed reads from the YAML tree that record a positioned problem instead of failing, so one pass
// over the file finds every mistake. Each getter returns undefined when the value is absent or bad.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { describeSecret, describeValue, ProblemList } from './problem.js';
import type { Offset } from './problem.js';
import { parseDurationMs } from './duration.js';
import { isIPv4 } from 'node:net';

/** What every reader needs: the document (to resolve aliases) and where problems go. */
export interface ReadContext {
  readonly doc: Document;
  readonly problems: ProblemList;
}

/** One `key: value` of a mapping (or one item of a list, keyed by its index). */
export interface Entry {
  readonly key: string;
  /** Dotted path for messages, e.g. `hosts.db1.ip`. */
  readonly path: string;
  readonly keyAt: Offset;
  /** The value node; null for an empty value (`key:`), which counts as absent. */
  readonly node: Node | null;
  readonly at: Offset;
}

export type Fields = ReadonlyMap<string, Entry>;

function resolve(ctx: ReadContext, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(ctx.doc) as Node | undefined) ?? null;
  return node as Node;
}

function offsetOf(node: Node | null, fallback: Offset): Offset {
  return node?.range?.[0] ?? fallback;
}

/** The plain JS value of a node, for messages only. */
function plain(node: Node | null): unknown {
  if (node === null) return null;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return [];
  return {};
}

/** True when the entry carries a value (present and not an empty `key:`/`~`). */
export function present(e: Entry | undefined): e is Entry & { node: Node } {
  return e !== undefined && e.node !== null && !(isScalar(e.node) && e.node.value === null);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * Reads a mapping's entries. `known` lists the allowed keys (null: any name, as under `hosts`);
 * unknown keys are reported at the key. A missing or empty section reads as an empty mapping.
 */
export function readMap(ctx: ReadContext, e: Entry | undefined, known: readonly string[] | null, what: string): Fields | undefined {
  const out = new Map<string, Entry>();
  if (!present(e)) return out;
  const node = resolve(ctx, e.node);
  if (!isMap(node)) {
    ctx.problems.add(e.at, 'CONFIG_WRONG_TYPE', `${what} must be a mapping of keys to values`, describeValue(plain(node)));
    return undefined;
  }
  for (const pair of node.items) {
    const keyNode = resolve(ctx, pair.key);
    const keyAt = offsetOf(keyNode, e.at);
    const key = isScalar(keyNode) ? keyNode.value : undefined;
    if (typeof key !== 'string') {
      ctx.problems.add(keyAt, 'CONFIG_WRONG_TYPE', `keys in ${what} must be names`, describeValue(plain(keyNode)));
      continue;
    }
    if (out.has(key)) continue; // the YAML parser already reported the duplicate
    if (known !== null && !known.includes(key)) {
      const near = known.find((k) => editDistance(k, key) <= 2);
      const hint = near !== undefined ? `did you mean "${near}"?` : `known keys: ${known.join(', ')}`;
      ctx.problems.add(keyAt, 'CONFIG_UNKNOWN_KEY', `unknown key in ${what}; ${hint}`, JSON.stringify(key));
      continue;
    }
    const valueNode = resolve(ctx, pair.value);
    const path = e.path === '' ? key : `${e.path}.${key}`;
    out.set(key, { key, path, keyAt, node: valueNode, at: offsetOf(valueNode, keyAt) });
  }
  return out;
}

/** The whole document as the root entry. */
export function rootEntry(ctx: ReadContext): Entry {
  const node = resolve(ctx, ctx.doc.contents);
  return { key: '', path: '', keyAt: 0, node, at: offsetOf(node, 0) };
}

/** Records a missing required key, reported where its section starts. */
export function missing(ctx: ReadContext, at: Offset, path: string, hint = ''): void {
  ctx.problems.add(at, 'CONFIG_MISSING_KEY', `missing required key \`${path}\`${hint}`);
}

function scalarValue(ctx: ReadContext, e: Entry & { node: Node }): unknown {
  return isScalar(e.node) ? e.node.value : plain(resolve(ctx, e.node));
}

function wrongType(ctx: ReadContext, e: Entry & { node: Node }, expected: string, secret = false): undefined {
  const v = scalarValue(ctx, e);
  ctx.problems.add(e.at, 'CONFIG_WRONG_TYPE', `\`${e.path}\` must be ${expected}`, secret ? describeSecret(v) : describeValue(v));
  return undefined;
}

/** A non-empty string. Secrets are never quoted back. */
export function readString(ctx: ReadContext, e: Entry | undefined, opts: { secret?: boolean } = {}): string | undefined {
  if (!present(e)) return undefined;
  const v = scalarValue(ctx, e);
  const expected = opts.secret === true ? 'a string (quote it if it looks like a number)' : 'a string';
  if (typeof v !== 'string') return wrongType(ctx, e, expected, opts.secret);
  if (v === '') {
    ctx.problems.add(e.at, 'CONFIG_BAD_VALUE', `\`${e.path}\` must not be empty`);
    return undefined;
  }
  return v;
}

/** One of a closed set of words. */
export function readEnum<T extends string>(ctx: ReadContext, e: Entry | undefined, allowed: readonly T[]): T | undefined {
  const v = readString(ctx, e);
  if (v === undefined || e === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  ctx.problems.add(e.at, 'CONFIG_BAD_VALUE', `\`${e.path}\` must be one of ${allowed.join(' | ')}`, JSON.stringify(v));
  return undefined;
}

export function readBool(ctx: ReadContext, e: Entry | undefined): boolean | undefined {
  if (!present(e)) return undefined;
  const v = scalarValue(ctx, e);
  return typeof v === 'boolean' ? v : wrongType(ctx, e, 'true or false');
}

/** An integer within [min, max]; `code` names the problem when out of range. */
export function readInt(ctx: ReadContext, e: Entry | undefined, min: number, max: number, code: 'CONFIG_OUT_OF_RANGE' | 'CONFIG_BAD_PORT' = 'CONFIG_OUT_OF_RANGE'): number | undefined {
  if (!present(e)) return undefined;
  const v = scalarValue(ctx, e);
  if (typeof v !== 'number' || !Number.isInteger(v)) return wrongType(ctx, e, 'a whole number');
  if (v < min || v > max) {
    const what = code === 'CONFIG_BAD_PORT' ? 'a port' : 'a number';
    ctx.problems.add(e.at, code, `\`${e.path}\` must be ${what} from ${min} to ${max}`, describeValue(v));
    return undefined;
  }
  return v;
}

export function readPort(ctx: ReadContext, e: Entry | undefined): number | undefined {
  return readInt(ctx, e, 1, 65535, 'CONFIG_BAD_PORT');
}

/** A duration (`250ms`, `5s`, `1.5s`, `1h`, or a number of seconds) as whole milliseconds. */
export function readDurationMs(ctx: ReadContext, e: Entry | undefined, minMs = 0): number | undefined {
  if (!present(e)) return undefined;
  const v = scalarValue(ctx, e);
  if (typeof v !== 'string' && typeof v !== 'number') return wrongType(ctx, e, 'a duration such as "500ms", "5s" or "1h"');
  const r = parseDurationMs(v);
  if (!r.ok) {
    ctx.problems.add(e.at, 'CONFIG_BAD_DURATION', `\`${e.path}\` ${r.error}`, describeValue(v));
    return undefined;
  }
  if (r.value < minMs) {
    ctx.problems.add(e.at, 'CONFIG_BAD_DURATION', `\`${e.path}\` must be at least ${minMs}ms`, describeValue(v));
    return undefined;
  }
  return r.value;
}

/** An IPv4 address in dotted-quad form. */
export function readIPv4(ctx: ReadContext, e: Entry | undefined): string | undefined {
  if (!present(e)) return undefined;
  const v = scalarValue(ctx, e);
  if (typeof v !== 'string' || !isIPv4(v)) {
    ctx.problems.add(e.at, 'CONFIG_BAD_IP', `\`${e.path}\` must be an IPv4 address like 10.0.0.11`, describeValue(v));
    return undefined;
  }
  return v;
}

/** A list's items as entries keyed by index (`roles.writer.ips[0]`). */
export function readList(ctx: ReadContext, e: Entry | undefined, example: string): Entry[] | undefined {
  if (!present(e)) return undefined;
  if (!isSeq(e.node)) return wrongType(ctx, e, `a list, e.g. [${example}]`);
  return e.node.items.map((item, i) => {
    const node = resolve(ctx, item);
    return { key: String(i), path: `${e.path}[${i}]`, keyAt: offsetOf(node, e.at), node, at: offsetOf(node, e.at) };
  });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Host, role and cluster names appear in protocol lines and file names: keep them plain. */
export function checkName(ctx: ReadContext, at: Offset, what: string, name: string): boolean {
  if (NAME.test(name)) return true;
  ctx.problems.add(at, 'CONFIG_BAD_NAME', `${what} names may use only letters, digits, "_", "." and "-"`, JSON.stringify(name));
  return false;
}
