// Death watch: a killed mysqld closes its sockets and a client sees it within milliseconds, but a
// check that waits for its next interval would not. One extra connection per host keeps a short
// `SELECT SLEEP(…)` running; when it fails because the connection was lost (not a timeout, which is
// the hung-server case the mysql check handles), `onLost` asks for an immediate re-probe.
import type { MysqlEndpoint, SqlConnector } from '@mmm-ts/protocol/mysql';

export interface DeathWatch {
  stop(): Promise<void>;
}

export interface WatchOptions {
  readonly connect: SqlConnector;
  readonly connectTimeoutMs: number;
  /** Pause before reconnecting after a failure (the mysql check's interval). */
  readonly retryMs: number;
  /** Length of one watching statement; short so `stop` (which lets it finish) is quick [0.5 s]. */
  readonly sleepMs?: number;
  readonly onLost: () => void;
}

/** Starts watching `endpoint`; `stop` resolves once the connection is closed. */
export function startDeathWatch(endpoint: MysqlEndpoint, o: WatchOptions): DeathWatch {
  const sleepMs = o.sleepMs ?? 500;
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => { wake = null; resolve(); }, ms);
      wake = () => { clearTimeout(t); wake = null; resolve(); };
    });

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const c = await o.connect(endpoint, o.connectTimeoutMs);
      if (!c.ok) {
        await pause(o.retryMs);
        continue;
      }
      const sql = c.value;
      while (!stopped) {
        const r = await sql.query(`SELECT SLEEP(${(sleepMs / 1000).toFixed(3)}) AS s`, [], sleepMs + o.connectTimeoutMs);
        if (r.ok) continue;
        if (!stopped && r.error.code === 'SQL_CONNECTION_LOST') o.onLost();
        break;
      }
      await sql.close();
      if (!stopped) await pause(o.retryMs);
    }
  };
  const running = loop().catch(() => undefined);
  return {
    async stop() {
      stopped = true;
      const w: (() => void) | null = wake;
      if (w !== null) w();
      await running;
    },
  };
}
