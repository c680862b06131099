// Public surface of '@mmm-ts/protocol/config': load and validate the cluster's YAML config.
export type {
  ClusterConfig, HostConfig, HookConfig, HookFailurePolicy, RoleConfig, CheckConfig, MonitorConfig, MonitorMode,
  ConfigProblem, ConfigProblemCode, ParseOptions,
} from './types.js';
export { CONFIG_PROBLEM_CODES } from './types.js';
export { parseConfig } from './parse.js';
export { loadConfig } from './load.js';
export type { LoadOptions } from './load.js';
export { formatProblem } from './problem.js';
export { parseDurationMs } from './duration.js';
export { summarizeConfig, formatDurationMs } from './summary.js';
export { DEFAULTS as CONFIG_DEFAULTS } from './defaults.js';
