// Public surface of @mmm-ts/monitor: the daemon's building blocks (for the sandbox, benchmarks and
// tests) and the pure decision core.
export * from './core/index.js';
export * from './checks/index.js';
export { startMonitor, agentTimeouts, type MonitorOptions, type RunningMonitor, type MonitorStartError } from './daemon/daemon.js';
export { MonitorLoop, type LoopOptions, type IntentRequest, type IntentAnswer } from './daemon/loop.js';
export { AgentClient, socketTransport, commandKey, type AgentTransport, type AgentEndpoint, type AgentTimeouts, type AgentRecord, type SendOutcome } from './daemon/agents.js';
export type { ChecksSource, HostCheckView as DaemonHostCheckView, ReplicaView, CheckRowView } from './daemon/checks-source.js';
export { startControlListener, parseCommandLine, type ControlListener, type ControlListenerOptions } from './daemon/control.js';
export { runControlCommand, CONTROL_HELP, type ControlContext, type ControlReply } from './daemon/control-commands.js';
export { sendControlCommand, type ControlRequest, type ControlClientError } from './daemon/control-client.js';
export { History, type MoveRecord, type MoveStep, type GtidsAtRisk } from './daemon/history.js';
export { gtidsMissing, GtidMemory } from './daemon/gtid.js';
export { loadStatusFile, writeFileAtomic, StatusWriter } from './daemon/status-store.js';
export { runPreflight, formatPreflight, type PreflightReport, type PreflightLine } from './preflight/index.js';
export { importMmm, formatImportProblem, type ImportProblem } from './import-mmm/index.js';
export * from './hooks/index.js';
