// The monitor's read-only HTTP listener on monitor.http: status and history as JSON, Prometheus
// metrics, a liveness probe. No body is ever read, headers are bounded in size and time, and a bad
// request gets an error document, never a crash. Unauthenticated: bind it to a management address.
import http from 'node:http';
import type { Socket } from 'node:net';
import { err, ok, type Failure, type Logger, type Result } from '@mmm-ts/protocol';
import type { MonitorMetrics } from './metrics.js';
import type { HttpSource } from './source.js';
import { buildHistory, buildStatus, parseHistoryN } from './status.js';

export interface HttpListenerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly source: HttpSource;
  readonly metrics: MonitorMetrics;
  readonly logger: Logger;
  /** Time allowed to receive a request's headers [5000]. */
  readonly headersTimeoutMs?: number;
}

export interface HttpListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export type HttpListenError = Failure<'HTTP_LISTEN_FAILED'>;

/** One response, decided without I/O (except rendering the metrics). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (status: number, doc: unknown, extra: Record<string, string> = {}): HttpAnswer =>
  ({ status, headers: { 'content-type': JSON_TYPE, ...extra }, body: `${JSON.stringify(doc)}\n` });
const failure = (status: number, code: string, message: string, extra: Record<string, string> = {}): HttpAnswer =>
  json(status, { error: { code, message } }, extra);

export const ROUTES = ['/api/v1/status', '/api/v1/history', '/metrics', '/healthz'] as const;

/** Answers one request from its method and URL (the whole API; the server only writes the answer). */
export async function answer(method: string, rawUrl: string, src: HttpSource, metrics: MonitorMetrics): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://monitor.invalid');
  } catch {
    return failure(400, 'HTTP_BAD_REQUEST', 'the request target is not a valid URL');
  }
  const known = (ROUTES as readonly string[]).includes(url.pathname);
  if (!known) return failure(404, 'HTTP_NOT_FOUND', `no such endpoint; try ${ROUTES.join(', ')}`);
  if (method !== 'GET') return failure(405, 'HTTP_METHOD_NOT_ALLOWED', 'this API is read-only: only GET is allowed', { allow: 'GET' });
  switch (url.pathname) {
    case '/api/v1/status':
      return json(200, buildStatus(src));
    case '/api/v1/history': {
      const n = parseHistoryN(url.searchParams.get('n'));
      if (!n.ok) return failure(400, n.error.code, n.error.message);
      return json(200, buildHistory(src, n.value));
    }
    case '/metrics':
      return { status: 200, headers: { 'content-type': metrics.contentType }, body: await metrics.render(src) };
    default:
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok\n' };
  }
}

/** Starts the listener; a bind failure is HTTP_LISTEN_FAILED with the address in the message. */
export async function startHttpListener(o: HttpListenerOptions): Promise<Result<HttpListener, HttpListenError>> {
  const log = o.logger.child({ component: 'http' });
  const sockets = new Set<Socket>();
  const headersTimeoutMs = o.headersTimeoutMs ?? 5_000;
  const server = http.createServer({ maxHeaderSize: 8_192, headersTimeout: headersTimeoutMs, requestTimeout: headersTimeoutMs * 2, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    const method = req.method ?? '';
    const reply = (a: HttpAnswer): void => {
      if (res.headersSent || res.destroyed) return;
      // A request body is never read: close the connection instead of draining it.
      const close = method !== 'GET' || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
      res.writeHead(a.status, { ...a.headers, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(a.body)), ...(close ? { connection: 'close' } : {}) });
      res.end(a.body);
    };
    answer(method, req.url ?? '/', o.source, o.metrics).then(reply, (e: unknown) => {
      log.error({ event: 'http.failed', url: req.url, err: e instanceof Error ? e.stack : String(e) }, 'HTTP request failed');
      reply(failure(500, 'HTTP_INTERNAL', 'internal error; see the monitor log'));
    });
  });
  server.maxConnections = 64;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const bound = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    server.listen(o.port, o.host, () => {
      server.off('error', resolve);
      resolve(null);
    });
  });
  if (bound !== null) {
    return err({ code: 'HTTP_LISTEN_FAILED', message: `cannot listen for HTTP on ${o.host}:${o.port} (monitor.http): ${bound.message}` });
  }
  server.on('error', (e) => log.error({ event: 'http.server_error', err: e.message }, 'HTTP server error'));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  log.info({ event: 'http.listening', host: o.host, port }, 'HTTP status API up');
  return ok({
    host: o.host,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  });
}
