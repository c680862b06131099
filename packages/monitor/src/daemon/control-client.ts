// mmm-control's side of the control protocol: connect to the monitor, send the command words and
// `quit`, read raw text until EOF. Failures are values (the CLI prints MMM's "Can't connect").
import net from 'node:net';
import { err, ok, type Result } from '@mmm-ts/protocol';

export type ControlClientError =
  | { readonly code: 'CONTROL_CONNECT_FAILED'; readonly message: string }
  | { readonly code: 'CONTROL_TIMEOUT'; readonly message: string };

export interface ControlRequest {
  readonly host: string;
  readonly port: number;
  readonly words: readonly string[];
  readonly json: boolean;
  readonly connectTimeoutMs?: number;
  /** Bound on the whole exchange after connecting (move_role waits for the move). */
  readonly replyTimeoutMs: number;
  /** Largest reply kept [4 MiB]. */
  readonly maxReplyBytes?: number;
}

/** Sends one command and returns the monitor's whole reply text. Never throws. */
export function sendControlCommand(r: ControlRequest): Promise<Result<string, ControlClientError>> {
  return new Promise((resolve) => {
    const socket = new net.Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    let done = false;
    const finish = (v: Result<string, ControlClientError>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    let timer = setTimeout(() => finish(err({ code: 'CONTROL_CONNECT_FAILED', message: 'connect timed out' })), r.connectTimeoutMs ?? 3_000);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish(err({ code: 'CONTROL_TIMEOUT', message: `no complete reply within ${r.replyTimeoutMs} ms` })), r.replyTimeoutMs);
      socket.write(`${r.json ? '--json ' : ''}${r.words.join(' ')}\nquit\n`);
    });
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= (r.maxReplyBytes ?? 4 * 1024 * 1024)) chunks.push(c);
    });
    socket.on('end', () => finish(ok(Buffer.concat(chunks).toString('utf8'))));
    socket.on('error', (e) => {
      if (!connected) finish(err({ code: 'CONTROL_CONNECT_FAILED', message: e.message }));
      else finish(ok(Buffer.concat(chunks).toString('utf8')));
    });
    socket.connect({ host: r.host, port: r.port });
  });
}
