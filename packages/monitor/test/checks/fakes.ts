// Test doubles for the checks: a virtual clock with timers, a config, scripted probes and a fake Sql.
import { err, ok, type Result } from '@mmm-ts/protocol';
import { parseConfig, type ClusterConfig } from '@mmm-ts/protocol/config';
import type { Row, Sql, SqlConnector, SqlError } from '@mmm-ts/protocol/mysql';
import type { ProbeKind, ProbeResult, Timers } from '../../src/checks/index.js';

/** Virtual time: timers fire only when a test advances the clock. */
export class VirtualTime {
  t = 1_000_000;
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();
  readonly now = (): number => this.t;
  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++this.seq;
      this.pending.set(id, { at: this.t + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (h) => {
      this.pending.delete(h as number);
    },
  };

  /** Lets promise chains run. */
  async flush(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Advances by `ms`, firing due timers in order and flushing after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.flush();
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, p] of this.pending) {
        if (p.at < nextAt || (p.at === nextAt && id < nextId)) { nextAt = p.at; nextId = id; }
      }
      if (nextId === -1 || nextAt > end) break;
      const p = this.pending.get(nextId);
      this.pending.delete(nextId);
      this.t = nextAt;
      p?.fn();
      await this.flush();
    }
    this.t = end;
    await this.flush();
  }

  /** A promise resolved after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((r) => this.timers.setTimeout(r, ms));
  }
}

/** A small valid config: db1/db2 masters, db3 replica; checks as given (YAML flow maps). */
export function testConfig(checks = '', pingIps = '[]'): ClusterConfig {
  const text = [
    'cluster: t',
    'active_master_role: writer',
    'monitor:',
    '  ip: 127.0.0.1',
    '  port: 9988',
    '  status_path: /tmp/mmm-checks-test.status',
    `  ping_ips: ${pingIps}`,
    'host_defaults:',
    '  agent_port: 9989',
    '  mysql_port: 3306',
    '  interface: eth0',
    '  agent_user: a',
    '  agent_password: a',
    '  monitor_user: m',
    '  monitor_password: m',
    '  replication_user: r',
    '  replication_password: r',
    'hosts:',
    '  db1: { ip: 10.9.9.11, mode: master, peer: db2 }',
    '  db2: { ip: 10.9.9.12, mode: master, peer: db1 }',
    '  db3: { ip: 10.9.9.13, mode: slave }',
    'roles:',
    '  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.9.9.100] }',
    'security:',
    '  secret: s3cret',
    checks,
    '',
  ].join('\n');
  const r = parseConfig(text, 'test.yaml');
  if (!r.ok) throw new Error(`test config invalid: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Every check: interval 100 ms, trap 1 s, timeout 300 ms. */
export const FAST_CHECKS = [
  'checks:',
  '  ping: { interval: 100ms, trap: 1s, timeout: 300ms }',
  '  mysql: { interval: 100ms, trap: 1s, timeout: 300ms }',
  '  rep_threads: { interval: 100ms, trap: 1s, timeout: 300ms }',
  '  rep_backlog: { interval: 100ms, trap: 1s, timeout: 300ms, max_backlog: 60s }',
].join('\n');

/** A probe result now. */
export function result(kind: ProbeKind, startedAt: number, data?: Record<string, unknown>): ProbeResult {
  return { kind, message: `fake ${kind}`, startedAt, durationMs: 0, ...(data !== undefined ? { data } : {}) };
}

/** A scripted Sql: `answer` decides each statement's result. */
export class FakeSql implements Sql {
  readonly threadId = 7;
  closed = false;
  queries: string[] = [];
  constructor(private readonly answer: (sql: string) => Promise<Result<Row[], SqlError>> | Result<Row[], SqlError>) {}
  async query(sql: string): Promise<Result<Row[], SqlError>> {
    this.queries.push(sql);
    if (this.closed) return err({ code: 'SQL_CONNECTION_LOST', message: 'closed' });
    return this.answer(sql);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A connector handing out scripted connections (or failures) in order; the last one repeats. */
export function scriptedConnector(script: (() => Result<Sql, SqlError>)[]): SqlConnector & { calls: number } {
  const f = Object.assign(
    (): Promise<Result<Sql, SqlError>> => {
      const step = script[Math.min(f.calls, script.length - 1)];
      f.calls++;
      return Promise.resolve(step === undefined ? err({ code: 'SQL_CONNECT_FAILED', message: 'no script' }) : step());
    },
    { calls: 0 },
  );
  return f;
}

export const refused = (): Result<Sql, SqlError> => err({ code: 'SQL_CONNECT_REFUSED', message: 'refused', cause: 'ECONNREFUSED' });
export const okSql = (s: Sql) => (): Result<Sql, SqlError> => ok(s);
