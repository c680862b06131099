// How the agent reaches its own mysqld: always 127.0.0.1:<mysql_port> as the agent user, so a
// role VIP moving away never cuts the agent off from its own server.
import type { MysqlEndpoint } from '@mmm-ts/protocol/mysql';

export interface LocalMysqlConfig {
  readonly mysqlPort: number;
  readonly agentUser: string;
  readonly agentPassword: string;
  /** Override for tests and unusual set-ups (default 127.0.0.1). */
  readonly host?: string;
}

/** The endpoint of this host's own server as the agent user. */
export function localEndpoint(cfg: LocalMysqlConfig): MysqlEndpoint {
  return { host: cfg.host ?? '127.0.0.1', port: cfg.mysqlPort, user: cfg.agentUser, password: cfg.agentPassword };
}
