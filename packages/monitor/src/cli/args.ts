// The flags every program shares (spec/cli.md), parsed once the same way for mmm-agent,
// mmm-monitor and mmm-control; a bad command line is a value (the caller exits 2), never a throw.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { err, ok } from '@mmm-ts/protocol';
import type { Result } from '@mmm-ts/protocol';

export const CLI_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type CliLogLevel = (typeof CLI_LOG_LEVELS)[number];
export const DEFAULT_CONFIG_PATH = '/etc/mmm/cluster.yaml';

/** Program-specific flags: strings and booleans only (no repeated flags). */
export type ExtraOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface CommonArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly config: string;
  /** True when --config was given (some commands prefer a positional FILE otherwise). */
  readonly configGiven: boolean;
  readonly logLevel: CliLogLevel;
  readonly logPretty: boolean;
  readonly allowReadableConfig: boolean;
  readonly json: boolean;
  /** The program's own flags, by name. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  'log-pretty': { type: 'boolean' },
  'allow-readable-config': { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies ExtraOptions;

const bool = (v: unknown): boolean => v === true;

/** Parses argv (without node and script) into the shared flags, the extra flags and positionals. */
export function parseCommonArgs(argv: readonly string[], extra: ExtraOptions = {}): Result<CommonArgs, string> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options: ParseArgsConfig['options'] = { ...extra, ...COMMON };
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs reports a bad command line by throwing: turn it into the usage message.
    const message = e instanceof Error ? e.message : String(e);
    return err(message.split('. ')[0]?.replace(/\.$/, '') ?? message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const level = v['log-level'] ?? 'info';
  if (typeof level !== 'string' || !(CLI_LOG_LEVELS as readonly string[]).includes(level)) {
    return err(`--log-level must be one of ${CLI_LOG_LEVELS.join('|')} (got "${String(level)}")`);
  }
  const config = v.config;
  if (config === '') return err('--config needs a file name');
  const flags: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(extra)) flags[name] = v[name];
  return ok({
    help: bool(v.help),
    version: bool(v.version),
    config: typeof config === 'string' ? config : DEFAULT_CONFIG_PATH,
    configGiven: typeof config === 'string',
    logLevel: level as CliLogLevel,
    logPretty: bool(v['log-pretty']),
    allowReadableConfig: bool(v['allow-readable-config']),
    json: bool(v.json),
    flags,
    positionals: parsed.positionals,
  });
}

/** The lines describing the shared flags, for each program's --help. */
export const COMMON_FLAGS_HELP = [
  '  --config FILE              cluster config (default /etc/mmm/cluster.yaml)',
  '  --log-level LEVEL          trace|debug|info|warn|error (default info)',
  '  --log-pretty               human-readable logs instead of JSON',
  '  --allow-readable-config    accept config/secret files readable by group or others',
  '  --json                     print one JSON document',
  '  --help, --version',
].join('\n');

/** The monitor package's version (mmm-monitor and mmm-control --version), from its package.json. */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const v = (pkg as { version?: unknown } | null)?.version;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}
