// The accounts baked into the template datadir, with the privileges lab-facts.md measured as needed
// on MariaDB 10.11 (SUPER no longer implies READ_ONLY ADMIN; the app user must not have it).
import type { RigUsers } from './types.js';

/** Fixed test credentials: the template is cached across runs, so they cannot be random. */
export const RIG_USERS: RigUsers = {
  admin: { user: 'mmm_rig', password: 'rig-admin-pw' },
  agent: { user: 'mmm_agent', password: 'agent-pw' },
  monitor: { user: 'mmm_monitor', password: 'monitor-pw' },
  replication: { user: 'repl', password: 'repl-pw' },
  app: { user: 'app', password: 'app-pw' },
};

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const create = (c: { user: string; password: string }): string => `CREATE USER ${q(c.user)}@'%' IDENTIFIED BY ${q(c.password)};`;

/** SQL run at the end of mariadb-install-db (bootstrap mode: FLUSH PRIVILEGES makes CREATE USER work there). */
export function templateSql(): string {
  const u = RIG_USERS;
  return [
    'FLUSH PRIVILEGES;',
    create(u.admin),
    `GRANT ALL PRIVILEGES ON *.* TO ${q(u.admin.user)}@'%' WITH GRANT OPTION;`,
    create(u.agent),
    `GRANT READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, SLAVE MONITOR, BINLOG MONITOR, CONNECTION ADMIN, PROCESS ON *.* TO ${q(u.agent.user)}@'%';`,
    create(u.monitor),
    `GRANT REPLICATION CLIENT, SLAVE MONITOR ON *.* TO ${q(u.monitor.user)}@'%';`,
    create(u.replication),
    `GRANT REPLICATION SLAVE ON *.* TO ${q(u.replication.user)}@'%';`,
    create(u.app),
    'CREATE DATABASE app;',
    `GRANT ALL PRIVILEGES ON app.* TO ${q(u.app.user)}@'%';`,
    'CREATE TABLE app.writes (id BIGINT PRIMARY KEY, host VARCHAR(64), at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB;',
    '',
  ].join('\n');
}
