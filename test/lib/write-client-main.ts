// The application stand-in: run inside the client namespace, it opens a new connection for every
// write through the writer VIP (as the MMM and MHA measurements did) and prints one JSON line per
// acknowledged or failed write, so tests can prove no acknowledged write was lost.
// Usage: node write-client-main.js --host VIP --user U --password P --interval-ms 20 --start-id N
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';

const { values } = parseArgs({ options: {
  host: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' },
  'interval-ms': { type: 'string', default: '20' }, 'start-id': { type: 'string', default: '1' },
  'timeout-ms': { type: 'string', default: '500' },
} });
const interval = Number(values['interval-ms']);
const timeout = Number(values['timeout-ms']);
let id = Number(values['start-id']);
let stopping = false;
// Stop between writes; a write stuck in a hung server or a dead network must not keep the process
// alive, so a forced exit follows shortly after the signal.
const stop = (): void => {
  stopping = true;
  setTimeout(() => { process.stdout.write(`${JSON.stringify({ done: true, nextId: id, forced: true })}\n`, () => process.exit(0)); }, 2 * timeout + 500).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const DEADLINE = Symbol('deadline');

/**
 * One write on a new connection. Every step is bounded by mysql2's timeouts, and the whole write by a
 * hard deadline as well (a SIGSTOPped server was seen to leave a mysql2 promise unsettled): past it
 * the connection is destroyed and the write recorded as failed — never as acknowledged, since its
 * outcome is unknown.
 */
async function writeOnce(n: number): Promise<void> {
  const t = Date.now();
  let conn: mysql.Connection | undefined;
  let abandoned = false;
  const work = (async (): Promise<number | null> => {
    const c = await mysql.createConnection({ host: values.host, user: values.user, password: values.password, database: 'app', connectTimeout: timeout });
    if (abandoned) { c.destroy(); throw new Error('abandoned'); }
    conn = c;
    await c.query({ sql: 'INSERT INTO writes (id, host) VALUES (?, @@server_id)', values: [n], timeout });
    const [sid] = await c.query({ sql: 'SELECT @@server_id AS s', timeout });
    return (sid as Array<{ s: number }>)[0]?.s ?? null;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => { timer = setTimeout(() => resolve(DEADLINE), 3 * timeout); });
  try {
    const r = await Promise.race([work, deadline]);
    if (r === DEADLINE) {
      abandoned = true;
      work.catch(() => undefined);
      process.stdout.write(`${JSON.stringify({ id: n, ok: false, t, error: `CLIENT_DEADLINE no answer within ${3 * timeout} ms` })}\n`);
    } else {
      process.stdout.write(`${JSON.stringify({ id: n, ok: true, t, ackAt: Date.now(), serverId: r })}\n`);
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    process.stdout.write(`${JSON.stringify({ id: n, ok: false, t, error: `${code} ${e instanceof Error ? e.message : String(e)}`.trim() })}\n`);
  } finally {
    clearTimeout(timer);
    conn?.destroy();
  }
}

while (!stopping) {
  const started = Date.now();
  await writeOnce(id++);
  const wait = interval - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
process.stdout.write(`${JSON.stringify({ done: true, nextId: id })}\n`);
