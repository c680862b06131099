// The agent's TCP listener: frames lines, authenticates them (unless in MMM v1 mode), hands each
// payload to the handler and writes the replies in order, so a slow, idle or hostile client can
// never stall other clients or the process.
import net from 'node:net';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, type FrameEvent } from './framer.js';
import { signResponse, verifyRequest, type Secret } from './auth.js';
import { NonceCache, DEFAULT_AUTH_WINDOW_MS } from './nonce-cache.js';
import { REPLY_AUTH_FAILED, REPLY_INTERNAL_ERROR, REPLY_INVALID_UTF8, lineTooLongReply } from './replies.js';

export interface RequestContext {
  /** `address:port` of the client, for logs. */
  readonly peer: string;
}

export type LineHandler = (payload: string, ctx: RequestContext) => Promise<string>;

export interface LineServerOptions {
  readonly host: string;
  /** 0 picks an ephemeral port (tests). */
  readonly port: number;
  /** Gets each v1 request line (unwrapped in auth mode), returns the v1 reply line (with `|UP:`). */
  readonly handler: LineHandler;
  /** null: plain MMM v1; otherwise every line must be an authenticated frame. */
  readonly secret: Secret | null;
  /** A connection with no traffic and no request in progress is closed after this (default 10000). */
  readonly idleTimeoutMs?: number;
  readonly maxLineBytes?: number;
  readonly logger?: Logger;
  /** Wall clock in ms, for the authentication window (default Date.now). */
  readonly now?: () => number;
  readonly authWindowMs?: number;
  readonly nonceCacheEntries?: number;
  /** Connections beyond this are dropped by the kernel listener (default 256). */
  readonly maxConnections?: number;
}

export interface LineServer {
  address(): { host: string; port: number };
  /** Stops listening and destroys every connection; resolves once the listener is closed. */
  close(): Promise<void>;
}

const MAX_QUEUED_LINES = 16;
/** Lines refused by the server itself (framing, authentication, empty) before the connection is cut. */
export const MAX_REFUSALS_PER_CONNECTION = 8;

/** Starts listening; rejects if the address cannot be bound (a start-up failure, e.g. EADDRINUSE). */
export async function startLineServer(opts: LineServerOptions): Promise<LineServer> {
  const log = (opts.logger ?? silentLogger).child({ component: 'line-server' });
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const nonces = new NonceCache({ windowMs: opts.authWindowMs ?? DEFAULT_AUTH_WINDOW_MS, maxEntries: opts.nonceCacheEntries });
  const sockets = new Set<net.Socket>();

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    serveConnection(socket, { ...opts, log, maxLineBytes, idleTimeoutMs, now, nonces });
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = opts.maxConnections ?? 256;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e: Error) => log.error({ event: 'proto.server_error', err: e }, 'listener error'));
  const addr = server.address();
  const bound = typeof addr === 'object' && addr !== null ? { host: addr.address, port: addr.port } : { host: opts.host, port: opts.port };
  log.info({ event: 'proto.listening', listenHost: bound.host, port: bound.port, authenticated: opts.secret !== null }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    address: () => bound,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

interface ConnOptions extends LineServerOptions {
  readonly log: Logger;
  readonly maxLineBytes: number;
  readonly idleTimeoutMs: number;
  readonly now: () => number;
  readonly nonces: NonceCache;
}

// One connection: lines are answered strictly in order, one at a time; reading pauses while too many
// lines wait, so a pipelining client cannot queue unbounded work.
function serveConnection(socket: net.Socket, o: ConnOptions): void {
  const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const framer = new LineFramer(o.maxLineBytes);
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let refusals = 0;
  let cut = false;

  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (queued > 0) return armIdle();
      o.log.info({ event: 'proto.idle_timeout', code: 'PROTO_IDLE_TIMEOUT', peer, idleTimeoutMs: o.idleTimeoutMs }, 'idle connection closed');
      socket.destroy();
    }, o.idleTimeoutMs);
  };
  const write = (line: string): void => {
    if (!socket.destroyed && socket.writable) socket.write(`${line}\n`);
  };
  const maybeResume = (): void => {
    if (queued < MAX_QUEUED_LINES && !socket.destroyed && !socket.writableNeedDrain) socket.resume();
  };
  const enqueue = (ev: FrameEvent): void => {
    if (socket.destroyed || cut) return;
    queued++;
    if (queued >= MAX_QUEUED_LINES) socket.pause();
    queue = queue
      .then(() => (socket.destroyed || cut ? null : answer(ev, peer, o)))
      .then((a) => {
        if (a === null) return;
        write(a.reply);
        if (a.refused && ++refusals >= MAX_REFUSALS_PER_CONNECTION) {
          o.log.warn({ event: 'proto.too_many_refusals', peer, refusals }, 'closing connection after repeated refused lines');
          cut = true;
          socket.end(() => socket.destroy());
        }
      })
      .catch((e: unknown) => o.log.error({ event: 'proto.server_bug', peer, err: e }, 'unexpected failure answering a line'))
      .finally(() => {
        queued--;
        maybeResume();
        if (!socket.destroyed) armIdle();
      });
  };

  armIdle();
  socket.on('data', (chunk: Buffer) => {
    armIdle();
    for (const ev of framer.push(chunk)) enqueue(ev);
  });
  socket.on('end', () => {
    for (const ev of framer.end()) enqueue(ev);
    void queue.then(() => socket.end());
  });
  socket.on('drain', maybeResume);
  socket.on('error', (e: Error) => o.log.debug({ event: 'proto.socket_error', peer, err: e }, 'connection error'));
  socket.on('close', () => clearTimeout(idleTimer));
}

interface Answer {
  readonly reply: string;
  /** Refused by the server itself (counts towards MAX_REFUSALS_PER_CONNECTION). */
  readonly refused: boolean;
}

// The reply line for one framed event. Never rejects.
async function answer(ev: FrameEvent, peer: string, o: ConnOptions): Promise<Answer> {
  if (ev.type === 'error') {
    const event = ev.code === 'PROTO_LINE_TOO_LONG' ? 'proto.line_too_long' : 'proto.invalid_utf8';
    o.log.warn({ event, code: ev.code, peer, maxLineBytes: o.maxLineBytes }, ev.message);
    return { reply: ev.code === 'PROTO_LINE_TOO_LONG' ? lineTooLongReply(o.maxLineBytes) : REPLY_INVALID_UTF8, refused: true };
  }
  const empty = ev.line === '';
  if (empty) o.log.warn({ event: 'proto.empty_line', peer }, 'empty request line');
  let payload = ev.line;
  let reqNonce: string | null = null;
  if (o.secret !== null) {
    const v = verifyRequest(o.secret, ev.line, o.now(), o.nonces);
    if (!v.ok) {
      o.log.warn({ event: 'proto.auth_failed', code: v.error.code, peer }, 'request refused: authentication failed');
      return { reply: REPLY_AUTH_FAILED, refused: true };
    }
    payload = v.value.payload;
    reqNonce = v.value.nonce;
  }
  let reply: string;
  try {
    reply = await o.handler(payload, { peer });
  } catch (e: unknown) {
    o.log.error({ event: 'proto.handler_failed', code: 'PROTO_HANDLER_FAILED', peer, err: e }, 'request handler threw');
    reply = REPLY_INTERNAL_ERROR;
  }
  if (reply.includes('\n')) {
    o.log.error({ event: 'proto.handler_failed', code: 'PROTO_HANDLER_FAILED', peer }, 'handler reply contained a newline');
    reply = REPLY_INTERNAL_ERROR;
  }
  const out = reqNonce === null || o.secret === null ? reply : signResponse(o.secret, reply, reqNonce, o.now());
  return { reply: out, refused: empty };
}
