// The narrow, read-only view of the running monitor that the HTTP API and the metrics read, so both
// can be built and tested from fake state and never reach into the loop, agents or checks directly.
import type { CoreConfig, MonitorState, Outcome } from '../core/index.js';
import type { CheckRowView } from '../daemon/checks-source.js';
import type { MoveRecord } from '../daemon/history.js';

/** What the monitor knows about one host's agent (AgentClient.record() fits it). */
export interface AgentView {
  readonly reachable: boolean;
  readonly lastError?: string;
  readonly uptimeS?: number;
}

/** A check row, with the last probe's duration when the check runner reports it. */
export interface CheckRowTimed extends CheckRowView {
  /** Duration of the last probe (ms); absent or null when the runner does not report it. */
  readonly lastDurationMs?: number | null;
}

/** Everything the HTTP endpoints and the metrics read; every method is cheap and side-effect free. */
export interface HttpSource {
  readonly cluster: string;
  readonly cfg: CoreConfig;
  state(): MonitorState;
  outcome(): Outcome;
  agent(host: string): AgentView;
  rows(): readonly CheckRowTimed[];
  /** The last n failover/switchover records, newest last. */
  history(n: number): readonly MoveRecord[];
  /** The monitor's own network check (ping_ips). */
  networkOk(): boolean;
}

/** The writer's host: the holder of the active-master role ('' when orphaned → null). */
export function writerOf(src: Pick<HttpSource, 'cfg' | 'state'>): string | null {
  const a = src.state().roles.find((r) => r.role === src.cfg.activeMasterRole);
  return a === undefined || a.host === '' ? null : a.host;
}
