// A fake monitor for the HTTP tests: the core fixture's cluster (db1 writer, 3 hosts ONLINE) with
// settable state, agents, check rows and history records.
import parse, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import type { MonitorState, Outcome } from '../../src/core/index.js';
import type { MoveRecord } from '../../src/daemon/history.js';
import type { AgentView, CheckRowTimed, HttpSource } from '../../src/http/index.js';
import { makeConfig, steady, T0 } from '../core/fixture.js';

export interface FakeSource extends HttpSource {
  st: MonitorState;
  out: Outcome;
  agents: Record<string, AgentView>;
  checkRows: CheckRowTimed[];
  records: MoveRecord[];
  net: boolean;
}

export function fakeSource(): FakeSource {
  const cfg = makeConfig();
  const f: FakeSource = {
    cluster: 'c1',
    cfg,
    st: steady(cfg),
    out: { code: 'NO_ACTION', sentence: 'no action. db1 is the writer, 3 hosts ONLINE' },
    agents: { db1: { reachable: true, uptimeS: 1000 }, db2: { reachable: true, uptimeS: 2000 }, db3: { reachable: false, lastError: 'CONNECT_REFUSED: connection refused' } },
    checkRows: [
      { host: 'db1', check: 'ping', state: 'ok', since: T0, message: 'ok', lastDurationMs: 2 },
      { host: 'db1', check: 'mysql', state: 'ok', since: T0, message: 'ok' },
      { host: 'db3', check: 'mysql', state: 'fail', since: T0 + 5_000, message: 'connection refused', lastDurationMs: null },
    ],
    records: [],
    net: true,
    state: () => f.st,
    outcome: () => f.out,
    agent: (h) => f.agents[h] ?? { reachable: false },
    rows: () => f.checkRows,
    history: (n) => f.records.slice(Math.max(0, f.records.length - n)),
    networkOk: () => f.net,
  };
  return f;
}

/** A finished failover record ending at `endedAtMs`. */
export function moveRecord(id: string, endedAtMs: number, over: Partial<MoveRecord> = {}): MoveRecord {
  return {
    id, kind: 'failover', cause: { code: 'WRITER_DEAD', sentence: 'db1 is dead' }, oldWriter: 'db1', newWriter: 'db2',
    startedAt: new Date(endedAtMs - 1_500).toISOString(), endedAt: new Date(endedAtMs).toISOString(), durationMs: 1_500,
    steps: [], gtidsAtRisk: { oldWriterPos: null, newWriterPos: null, missing: null, note: 'unknown' },
    outcome: 'promoted', sentence: 'db2 promoted', ...over,
  };
}

/** The text format parsed twice: as is (families, types), and with histograms read as plain series. */
export interface ParsedMetrics {
  readonly families: Map<string, PromFamily>;
  /** parse-prometheus-text-format merges every series of a labelled histogram into one (labels lost),
   * so here histogram TYPE lines are read as untyped: `x_bucket`, `x_sum`, `x_count` keep their labels. */
  readonly flat: Map<string, PromFamily>;
}

/** Parses the text format with parse-prometheus-text-format (throws on a malformed line). */
export function parseMetrics(text: string): ParsedMetrics {
  // Series of one name split by other lines come back as several families: merge them.
  const byName = (fams: PromFamily[]): Map<string, PromFamily> => {
    const m = new Map<string, PromFamily>();
    for (const f of fams) {
      const had = m.get(f.name);
      m.set(f.name, had === undefined ? f : { ...had, metrics: [...had.metrics, ...f.metrics] });
    }
    return m;
  };
  return {
    families: byName(parse(text)),
    flat: byName(parse(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))),
  };
}

/** The type of a family (COUNTER, GAUGE, HISTOGRAM…). */
export function typeOf(p: ParsedMetrics, name: string): string | undefined {
  return p.families.get(name)?.type;
}

/** The samples of a series name whose labels include `labels`. */
export function samples(p: ParsedMetrics, name: string, labels: Record<string, string> = {}): PromSample[] {
  const f = p.flat.get(name);
  if (f === undefined) throw new Error(`no metric family ${name}`);
  return f.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** The value of the single sample matching `labels` (a number). */
export function value(p: ParsedMetrics, name: string, labels: Record<string, string> = {}): number {
  const s = samples(p, name, labels);
  if (s.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${s.length} samples`);
  return Number(s[0]?.value);
}

/** One histogram series: count, sum and the cumulative count of bucket `le`. */
export function histogram(p: ParsedMetrics, name: string, labels: Record<string, string>): { count: number; sum: number; bucket: (le: string) => number } {
  return {
    count: value(p, `${name}_count`, labels),
    sum: value(p, `${name}_sum`, labels),
    bucket: (le) => value(p, `${name}_bucket`, { ...labels, le }),
  };
}
