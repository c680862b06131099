// Public surface of the monitor's HTTP status API and Prometheus metrics (issue 5, docs/http.md).
export { startHttpListener, answer, ROUTES, type HttpListener, type HttpListenerOptions, type HttpListenError, type HttpAnswer } from './server.js';
export { createMonitorMetrics, type MonitorMetrics, type MetricsOptions } from './metrics.js';
export { timedTransport, commandOf, type AgentRequestRecorder } from './agent-timing.js';
export { buildStatus, buildHistory, parseHistoryN, HISTORY_DEFAULT_N, HISTORY_MAX_N, type StatusDoc, type HostStatus, type CheckStatus } from './status.js';
export { writerOf, type HttpSource, type AgentView, type CheckRowTimed } from './source.js';
