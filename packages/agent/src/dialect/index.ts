// The SQL dialect layer (pure): to move to @mmm-ts/protocol/dialect once that export exists.
export * from './flavor.js';
export * from './gtid.js';
export * from './dialect.js';
export * from './replica-status.js';
