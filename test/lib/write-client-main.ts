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
process.on('SIGTERM', () => { stopping = true; });
process.on('SIGINT', () => { stopping = true; });

async function writeOnce(n: number): Promise<void> {
  const t = Date.now();
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({ host: values.host, user: values.user, password: values.password, database: 'app', connectTimeout: timeout });
    const [rows] = await conn.query({ sql: 'INSERT INTO writes (id, host) VALUES (?, @@server_id)', values: [n], timeout });
    void rows;
    const [sid] = await conn.query({ sql: 'SELECT @@server_id AS s', timeout });
    const serverId = (sid as Array<{ s: number }>)[0]?.s ?? null;
    process.stdout.write(`${JSON.stringify({ id: n, ok: true, t, ackAt: Date.now(), serverId })}\n`);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    process.stdout.write(`${JSON.stringify({ id: n, ok: false, t, error: `${code} ${e instanceof Error ? e.message : String(e)}`.trim() })}\n`);
  } finally {
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
