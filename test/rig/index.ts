// Public surface of @mmm-ts/test/rig: a real multi-host MariaDB 10.11 cluster on Linux network
// namespaces, for agent, monitor and end-to-end tests (needs root). See test/rig/README.md.
export { createRig, attachRig } from './rig.js';
export { ensurePrerequisites, SYSTEM_PACKAGES } from './prereq.js';
export { RigError, type RigErrorCode } from './errors.js';
export { planRig, defaultBaseDir, type RigPlan, type HostPlan } from './topology.js';
export { sweepSync, rigNamespaces, rigLinks, rigPids, type SweepReport } from './cleanup.js';
export { rigSecret } from './cluster-yaml.js';
export { RIG_USERS } from './users.js';
export { readState, type RigState } from './state.js';
export type {
  Rig, RigHost, RigOptions, RigUsers, Credentials, ExecResult, ExecOptions, SqlRow, SqlOptions, ClusterYamlOptions,
} from './types.js';
