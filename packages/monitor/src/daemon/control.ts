// The control listener for mmm-control, MMM's protocol: TCP on monitor.ip:port, one command line
// (words separated by spaces), then `quit`; the reply is raw text, then the connection closes.
// A first word `--json` asks for one JSON document instead. Unauthenticated like MMM's: it binds to
// monitor.ip (127.0.0.1 by default), so only local users (or that network) can reach it.
import net from 'node:net';
import { LineFramer, type Logger } from '@mmm-ts/protocol';
import { runControlCommand, type ControlContext } from './control-commands.js';

export interface ControlListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly ctx: ControlContext;
  readonly logger: Logger;
  /** Longest command line accepted [4096]. */
  readonly maxLineBytes?: number;
  /** Close a connection that sends no command line within this long [10000]. */
  readonly idleTimeoutMs?: number;
}

export interface ControlListener {
  readonly port: number;
  close(): Promise<void>;
}

/** Splits a command line into words; a leading `--json` (or `json`) selects the JSON reply. */
export function parseCommandLine(line: string): { json: boolean; words: string[] } {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  const json = words[0] === '--json';
  return { json, words: json ? words.slice(1) : words };
}

/** Starts listening; rejects when the address cannot be bound. */
export async function startControlListener(o: ControlListenerOptions): Promise<ControlListener> {
  const sockets = new Set<net.Socket>();
  const log = o.logger.child({ component: 'control' });
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(o.idleTimeoutMs ?? 10_000, () => socket.destroy());
    const framer = new LineFramer(o.maxLineBytes ?? 4096);
    let handled = false;
    const handle = (line: string): void => {
      handled = true;
      socket.setTimeout(0);
      const { json, words } = parseCommandLine(line.replace(/\r$/, ''));
      if (words.length === 0 || words[0] === 'quit') {
        socket.end();
        return;
      }
      log.info({ event: 'control.command', command: words.join(' '), json, remote: socket.remoteAddress }, 'control command');
      void runControlCommand(words, o.ctx).then(
        (r) => {
          if (!socket.destroyed) socket.end(json ? `${JSON.stringify(r.json)}\n` : r.text);
          log.info({ event: 'control.reply', command: words[0], ok: r.ok }, r.ok ? 'answered' : 'answered with an error');
        },
        (e: unknown) => {
          log.error({ event: 'control.failed', err: e instanceof Error ? e.stack : String(e) }, 'control command failed');
          if (!socket.destroyed) socket.end('ERROR: internal error');
        },
      );
    };
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      for (const ev of framer.push(chunk)) {
        if (handled) break;
        if (ev.type === 'error') {
          handled = true;
          socket.end(`ERROR: ${ev.message}`);
        } else {
          handle(ev.line);
        }
      }
    });
    socket.on('end', () => {
      if (handled) return;
      const last = framer.end()[0];
      if (last?.type === 'line') handle(last.line);
      else socket.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  log.info({ event: 'control.listening', host: o.host, port }, 'control listener up');
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
