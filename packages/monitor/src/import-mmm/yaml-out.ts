// Writes the imported config as YAML by hand, so the output keeps the spec's layout (one flow map per
// host and role) and can carry comments; every string is quoted unless it is plainly safe.

/** A YAML value already rendered as flow text. */
export type Rendered = string & { readonly __rendered: true };

const SAFE_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

/** A string scalar, plain when that cannot be misread, otherwise double-quoted (JSON is valid YAML). */
export function yStr(s: string): Rendered {
  const plain = (SAFE_PLAIN.test(s) && !RESERVED.test(s)) || IPV4.test(s);
  return (plain ? s : JSON.stringify(s)) as Rendered;
}
export function yNum(n: number): Rendered {
  return String(n) as Rendered;
}
export function yBool(b: boolean): Rendered {
  return String(b) as Rendered;
}
export function yList(items: readonly string[]): Rendered {
  return `[${items.map(yStr).join(', ')}]` as Rendered;
}
/** MMM durations are seconds: `5` → `5s`. */
export function yDur(seconds: string): Rendered {
  return `${seconds}s` as Rendered;
}

export type Fields = Map<string, Rendered>;

/** `{ a: 1, b: x }` */
export function flowMap(f: Fields): string {
  return f.size === 0 ? '{}' : `{ ${[...f].map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

/** A block section: `name:` then indented `key: value` lines; nothing when empty. */
export function blockSection(name: string, f: Fields, comments: readonly string[] = []): string[] {
  if (f.size === 0 && comments.length === 0) return [];
  return [`${name}:`, ...comments.map((c) => `  # ${c}`), ...[...f].map(([k, v]) => `  ${k}: ${v}`), ''];
}

/** A section of named flow maps (hosts, roles, checks). */
export function namedSection(name: string, items: Map<string, Fields>): string[] {
  if (items.size === 0) return [];
  return [`${name}:`, ...[...items].map(([k, f]) => `  ${yStr(k)}: ${flowMap(f)}`), ''];
}
