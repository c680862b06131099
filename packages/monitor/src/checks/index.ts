// Public surface of the monitor's checks: the scheduler the daemon runs, the trap, and the pure
// replication judgements (reused by the daemon's second opinion and candidate catch-up).
export { createCheckRunner, loopSettings, CHECK_NAMES, DEFAULT_REFUSED_TRAP_MS, DEFAULT_MIN_FAILURES, NETWORK_CHECK_TIMEOUT_MS } from './runner.js';
export type { CheckRunner, CheckRunnerOptions, CheckRow, HostCheckView } from './runner.js';
export type { Probe, ProbeSet } from './probe-set.js';
export type { Timers } from './check-loop.js';
export { URGENT_MIN_GAP_MS } from './check-loop.js';
export { NETWORK_CHECK_INTERVAL_MS, type NetworkProbe } from './network.js';
export { foldProbe, initialTrap, type ProbeKind, type ProbeResult, type TrapSettings, type TrapState } from './trap.js';
export { judgeRepBacklog, judgeRepThreads, summarizeReplica, type ReplicaSummary, type Judgement } from './replication.js';
export { kindOfSqlError, ER_TOO_MANY_CONNECTIONS } from './probe-kit.js';
