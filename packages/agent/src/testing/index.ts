// Test doubles for the agent's effects, shipped as real modules (reused by other packages' tests).
export * from './fake-sql.js';
export * from './fake-ip-ops.js';
export * from './fake-clock.js';
