// Loopback helpers for transport tests: a raw client that sends exact bytes and collects reply
// lines, and a logger whose events the test can read back.
import net from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';

export interface RawClient {
  readonly socket: net.Socket;
  send(data: string | Buffer): void;
  /** Resolves with the next `n` reply lines (newline stripped), or what came before the close. */
  lines(n: number): Promise<string[]>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
}

export async function rawConnect(port: number): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buf = '';
  const got: string[] = [];
  let waiter: (() => void) | null = null;
  let isClosed = false;
  socket.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      got.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    waiter?.();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => {
    isClosed = true;
    waiter?.();
    resolve();
  }));
  return {
    socket,
    send: (data) => socket.write(data),
    lines: (n) => new Promise<string[]>((resolve) => {
      const check = (): void => {
        if (got.length >= n || isClosed) {
          waiter = null;
          resolve(got.splice(0, n));
        }
      };
      waiter = check;
      check();
    }),
    closed,
  };
}

export interface LogCapture {
  readonly logger: Logger;
  events(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  const logger = createLogger({ name: 'test', level: 'debug', destination });
  return { logger, events: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A port on 127.0.0.1 with nothing listening (bound once, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  if (typeof addr !== 'object' || addr === null) throw new Error('no address');
  return addr.port;
}
