// Test doubles for the daemon: checks that report what a test sets, and an agent transport that
// records every line and answers (or hangs) as a test says.
import { silentLogger } from '@mmm-ts/protocol';
import type { CheckResult } from '../../src/core/index.js';
import { AgentClient, type AgentTransport } from '../../src/daemon/agents.js';
import type { ChecksSource, CheckRowView, HostCheckView } from '../../src/daemon/checks-source.js';

export function healthyView(over: Partial<HostCheckView> = {}): HostCheckView {
  const ok: CheckResult = 'ok';
  return { checks: { ping: ok, mysql: ok, repThreads: ok, repBacklog: ok }, details: {}, replica: null, lagS: 0, ...over };
}

export class FakeChecks implements ChecksSource {
  views: Record<string, HostCheckView> = { db1: healthyView(), db2: healthyView(), db3: healthyView() };
  net = true;
  urgentHosts: string[] = [];
  checkRows: CheckRowView[] = [];
  start(): void { /* nothing to start */ }
  stop(): Promise<void> { return Promise.resolve(); }
  observe(): Record<string, HostCheckView> { return this.views; }
  networkOk(): boolean { return this.net; }
  rows(): readonly CheckRowView[] { return this.checkRows; }
  urgent(host: string): void { this.urgentHosts.push(host); }
}

export interface Sent { readonly host: string; readonly line: string; readonly at: number; endedAt?: number }

/** A transport whose answer per line is `answer(host, line)`: a reply payload, or the word 'hang' (no reply until the read timeout). */
export function fakeTransport(answer: (host: string, line: string) => string, clock: () => number): { transport: AgentTransport; sent: Sent[] } {
  const sent: Sent[] = [];
  const transport: AgentTransport = async (host, _ep, line, t) => {
    const s: Sent = { host, line, at: clock() };
    sent.push(s);
    const a = answer(host, line);
    if (a === 'hang') {
      await new Promise((r) => setTimeout(r, t.readMs));
      s.endedAt = clock();
      return { ok: false, error: { code: 'READ_TIMEOUT', message: `no reply within ${t.readMs} ms` } };
    }
    await Promise.resolve();
    s.endedAt = clock();
    return { ok: true, value: `${a}|UP:1000.00` };
  };
  return { transport, sent };
}

export const OK_STATUS = 'OK: Status applied successfully!';

export function okAnswers(line: string): string {
  if (line.startsWith('PING')) return 'OK: Pinged!';
  if (line.startsWith('SET_STATUS')) return OK_STATUS;
  if (line.startsWith('CLEAR_BAD_ROLES')) return 'OK: Removed 0 roles';
  return 'ERROR: Invalid command';
}

export function makeAgents(transport: AgentTransport, now: () => number, heartbeatMs = 2000): AgentClient {
  return new AgentClient({
    endpoints: { db1: { ip: '10.0.0.11', port: 9989 }, db2: { ip: '10.0.0.12', port: 9989 }, db3: { ip: '10.0.0.13', port: 9989 } },
    transport,
    timeouts: { connectMs: 100, queryMs: 200, heartbeatMs, actionMs: 500 },
    logger: silentLogger,
    now,
  });
}
