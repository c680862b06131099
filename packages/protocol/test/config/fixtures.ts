// Shared YAML snippets and helpers for the config tests.
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/index.js';
import type { ClusterConfig, ConfigProblem } from '../../src/config/index.js';

/** A small valid cluster; line numbers matter to the tests that edit it. */
export const VALID = [
  'cluster: t', //                                                              1
  'host_defaults:', //                                                          2
  '  agent_password: a', //                                                     3
  '  monitor_password: m', //                                                   4
  '  replication_password: r', //                                               5
  'hosts:', //                                                                  6
  '  db1: { ip: 10.0.0.11, mode: master, peer: db2 }', //                       7
  '  db2: { ip: 10.0.0.12, mode: master, peer: db1 }', //                       8
  '  db3: { ip: 10.0.0.13, mode: slave }', //                                   9
  'roles:', //                                                                  10
  '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.50] }', //      11
  '  reader: { mode: balanced, hosts: [db1, db2, db3], ips: [10.0.0.51, 10.0.0.52] }', // 12
  'security:', //                                                               13
  '  secret: k', //                                                             14
];

/** VALID with line n (1-based) replaced by `line` (or removed when null), plus extra lines at the end. */
export function edit(changes: Record<number, string | null>, extra: string[] = []): string {
  const out: string[] = [];
  VALID.forEach((l, i) => {
    const c = changes[i + 1];
    if (c === undefined) out.push(l);
    else if (c !== null) out.push(c);
  });
  return [...out, ...extra].join('\n') + '\n';
}

/** Parses text that must be valid. */
export function parseOk(text: string, file = 'c.yaml'): ClusterConfig {
  const r = parseConfig(text, file);
  if (!r.ok) assert.fail(`expected a valid config, got:\n${r.error.map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`).join('\n')}`);
  return r.value;
}

/** Parses text that must be invalid; returns its problems. */
export function parseBad(text: string, file = 'c.yaml'): ConfigProblem[] {
  const r = parseConfig(text, file);
  if (r.ok) return assert.fail('expected problems, the config was accepted');
  return r.error;
}

/** Problems as `line:col CODE`, the shape most assertions compare. */
export function where(problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.col} ${p.code}`);
}
