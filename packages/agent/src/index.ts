// Public surface of @mmm-ts/agent: the actions the protocol handler calls, their effect interfaces
// (IpOps here; Sql and the dialect layer are in @mmm-ts/protocol/mysql) with real implementations
// and test doubles.
export * from './errors.js';
export * from './clock.js';
export * from './sql/local.js';
export * from './sql/open.js';
export * from './ip/ip-ops.js';
export { createExecaIpOps, parseIpAddrShow, type ExecaIpOpsOptions } from './ip/execa-ip-ops.js';
export type { SqlEnv } from './actions/env.js';
export { readReadOnly, type ReadOnlyState } from './actions/read-only.js';
export { classifySession, listSessions, type Session, type SessionClass } from './actions/sessions.js';
export { mysqlDenyWrite, type DenyWriteMode, type DenyWriteOptions, type DenyWriteObserved } from './actions/deny-write.js';
export { mysqlAllowWrite, type AllowWriteObserved } from './actions/allow-write.js';
export { configureIp, type ConfigureIpObserved } from './actions/configure-ip.js';
export { clearIp, type ClearIpObserved } from './actions/clear-ip.js';
export { checkIp } from './actions/check-ip.js';
export { readReplicaStatus } from './actions/replica.js';
export { readPeerPosition, type PeerPosition } from './actions/peer.js';
export { waitForGtid, waitForPosition, type GtidWaitObserved } from './actions/wait-gtid.js';
export { syncWithMaster, type SyncWithMasterOptions, type SyncObserved } from './actions/sync-with-master.js';
export { setActiveMaster, type SetActiveMasterOptions, type SetActiveMasterObserved } from './actions/set-active-master.js';
export { turnOffSlave, turnOnSlave } from './actions/replication-threads.js';
export * from './discovery.js';
export * from './reassert.js';
export * from './testing/index.js';
