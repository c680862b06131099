// The monitor's side of one agent command: connect, send one line, read one line, close, like MMM,
// but bounded by timeouts, authenticated by default, and every failure a typed value.
import net from 'node:net';
import { err, ok, type Result } from './result.js';
import type { TransportError, TransportErrorCode } from './errors.js';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, type FrameEvent } from './framer.js';
import { signRequest, verifyResponse, type Secret } from './auth.js';
import { DEFAULT_AUTH_WINDOW_MS } from './nonce-cache.js';

export interface SendRequestOptions {
  readonly host: string;
  readonly port: number;
  /** null: plain MMM v1 (reply returned as is); otherwise request signed, response verified. */
  readonly secret: Secret | null;
  readonly connectTimeoutMs: number;
  /** From the end of connect to the reply line. */
  readonly readTimeoutMs: number;
  readonly localAddress?: string;
  readonly maxReplyBytes?: number;
  readonly now?: () => number;
  readonly authWindowMs?: number;
}

const CONNECT_CODES: Record<string, TransportErrorCode> = {
  ECONNREFUSED: 'CONNECT_REFUSED',
  EHOSTUNREACH: 'UNREACHABLE',
  ENETUNREACH: 'UNREACHABLE',
  ENOTFOUND: 'UNREACHABLE',
  ETIMEDOUT: 'CONNECT_TIMEOUT',
};
const LATER_CODES: Record<string, TransportErrorCode> = { ECONNRESET: 'CLOSED', EPIPE: 'CLOSED' };

const fail = (code: TransportErrorCode, message: string, cause?: string): Result<string, TransportError> =>
  err(cause === undefined ? { code, message } : { code, message, cause });

const quote = (s: string): string => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * Sends one request line (without newline) on a new connection and returns the reply line (verified
 * and unwrapped in auth mode). Never throws; the socket is always destroyed; total time is bounded by
 * connectTimeoutMs + readTimeoutMs.
 */
export function sendRequest(opts: SendRequestOptions, line: string): Promise<Result<string, TransportError>> {
  if (line.includes('\n')) return Promise.resolve(fail('PROTOCOL', 'request line contains a newline'));
  const now = opts.now ?? Date.now;
  return new Promise((resolve) => {
    const socket = new net.Socket();
    const framer = new LineFramer(opts.maxReplyBytes ?? DEFAULT_MAX_LINE_BYTES);
    let connected = false;
    let settled = false;
    let reqNonce = '';
    let timer: NodeJS.Timeout | undefined;

    const finish = (r: Result<string, TransportError>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const onEvent = (ev: FrameEvent): void => {
      if (ev.type === 'error') {
        finish(ev.code === 'PROTO_LINE_TOO_LONG' ? fail('REPLY_TOO_LONG', ev.message) : fail('PROTOCOL', `reply: ${ev.message}`));
      } else if (opts.secret === null) {
        finish(ok(ev.line));
      } else {
        const v = verifyResponse(opts.secret, ev.line, reqNonce, now(), opts.authWindowMs ?? DEFAULT_AUTH_WINDOW_MS);
        finish(v.ok ? ok(v.value) : fail('AUTH_FAILED', `${v.error.message}; reply was ${quote(ev.line)}`, v.error.code));
      }
    };

    timer = setTimeout(() => finish(fail('CONNECT_TIMEOUT', `no connection within ${opts.connectTimeoutMs} ms`)), opts.connectTimeoutMs);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish(fail('READ_TIMEOUT', `no reply within ${opts.readTimeoutMs} ms`)), opts.readTimeoutMs);
      let out = line;
      if (opts.secret !== null) {
        const signed = signRequest(opts.secret, line, now());
        reqNonce = signed.nonce;
        out = signed.line;
      }
      socket.write(`${out}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const first = framer.push(chunk)[0];
      if (first !== undefined) onEvent(first);
    });
    socket.on('end', () => {
      const last = framer.end()[0];
      if (last !== undefined) onEvent(last);
      else finish(fail('CLOSED', 'connection closed before a reply line'));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const os = e.code ?? 'UNKNOWN';
      const code = (connected ? LATER_CODES[os] : CONNECT_CODES[os]) ?? 'PROTOCOL';
      finish(fail(code, `${connected ? 'connection' : 'connect'} error: ${e.message}`, os));
    });
    socket.on('close', () => finish(fail('CLOSED', 'connection closed before a reply line')));
    try {
      socket.connect(opts.localAddress === undefined
        ? { host: opts.host, port: opts.port }
        : { host: opts.host, port: opts.port, localAddress: opts.localAddress });
    } catch (e: unknown) {
      finish(fail('PROTOCOL', `cannot connect: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
}
