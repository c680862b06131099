// @mmm-ts/protocol/mysql: what the agent and the monitor both need to talk to MySQL/MariaDB — the
// narrow Sql interface with its mysql2 implementation, and the pure dialect layer (statement text
// per flavour and version, replica status read by column name with an alias map).
export * from './flavor.js';
export * from './gtid.js';
export * from './errant.js';
export * from './dialect.js';
export * from './replica-status.js';
export * from './sql.js';
export * from './cell.js';
export { connectMysql, connectError } from './mysql2-sql.js';
