// One logger factory for every program, so redaction of secrets and the JSON shape are the same
// everywhere. Components take `logger.child({ component })`; events carry a stable `event` name.
import pino from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths whose values never reach a log line. */
export const REDACT_PATHS: readonly string[] = [
  'password', '*.password', '*.*.password',
  'secret', '*.secret', '*.*.secret',
  'agentPassword', '*.agentPassword', '*.*.agentPassword',
  'monitorPassword', '*.monitorPassword', '*.*.monitorPassword',
  'replicationPassword', '*.replicationPassword', '*.*.replicationPassword',
  'mac', '*.mac',
];

export interface LoggerOptions {
  readonly name: string;
  readonly level?: LogLevel;
  /** Where lines go; default stdout. Tests pass a stream to read events back. */
  readonly destination?: NodeJS.WritableStream;
  /** Human-readable lines (`--log-pretty`) instead of JSON; redaction still applies. */
  readonly pretty?: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  const level: LevelWithSilent = opts.level ?? 'info';
  return pino(
    {
      name: opts.name,
      level,
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? (opts.pretty === true
      ? pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ dest: 1, sync: false })),
  );
}

/** A logger that drops everything: for unit tests and library callers that pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
