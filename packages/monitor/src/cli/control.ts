// mmm-control: the operator's command line. For now it serves `help`, `--version` and the offline
// `config-check FILE`; commands that talk to the monitor arrive with the control client (a later issue).
import { readFileSync } from 'node:fs';
import { formatProblem, loadConfig, summarizeConfig } from '@mmm-ts/protocol/config';
import { COMMON_FLAGS_HELP, parseCommonArgs } from './args.js';
import type { CommonArgs } from './args.js';

/** Where the program writes; tests pass collectors. */
export interface ControlIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: ControlIo = {
  out: (text) => { process.stdout.write(`${text}\n`); },
  err: (text) => { process.stderr.write(`${text}\n`); },
};

/** Commands that need the running monitor (spec/cli.md). */
const MONITOR_COMMANDS = [
  'ping', 'show', 'checks', 'set_online', 'set_offline', 'mode', 'set_active', 'set_manual', 'set_passive',
  'move_role', 'set_ip', 'history', 'preflight',
] as const;

const USAGE = `Usage: mmm-control [--config FILE] [--json] COMMAND [ARGS]

Commands:
  help                          this text
  ping                          check that the monitor answers
  show                          hosts, their states and roles
  checks [HOST|all [CHECK|all]] every check's state
  set_online HOST | set_offline HOST
  mode | set_active | set_manual | set_passive
  move_role [--force] ROLE HOST
  set_ip IP HOST                (passive mode only)
  history [N]                   the last N failover / switchover reports
  preflight                     check the whole cluster's configuration
  config-check [FILE]           validate a config file offline (default: --config)
  import-mmm FILE...            convert MMM's config files to YAML

Options:
${COMMON_FLAGS_HELP}
  --force                       (move_role) move the writer to a host with replication problems`;

/** The package version, read from package.json next to the build. */
function version(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const v = (pkg as { version?: unknown } | null)?.version;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `config-check FILE`: every problem on stderr with file:line:col and exit 2, or OK and a summary. */
async function configCheck(args: CommonArgs, io: ControlIo): Promise<number> {
  const rest = args.positionals.slice(1);
  if (rest.length > 1) {
    io.err('mmm-control: config-check takes one FILE');
    return 2;
  }
  const file = rest[0] ?? args.config;
  const r = await loadConfig(file, { allowReadable: args.allowReadableConfig });
  if (r.ok) {
    const summary = summarizeConfig(r.value);
    if (args.json) io.out(JSON.stringify({ ok: true, file, summary: summary.split('\n') }));
    else io.out(`OK: ${file} is valid\n${summary}`);
    return 0;
  }
  if (args.json) {
    io.out(JSON.stringify({ ok: false, file, problems: r.error }));
    return 2;
  }
  const readFailure = r.error.find((p) => p.code === 'CONFIG_READ_FAILED');
  if (readFailure !== undefined) {
    io.err(`config-check: ${readFailure.message}`);
    return 2;
  }
  for (const p of r.error) io.err(formatProblem(p));
  io.err(`config-check: ${r.error.length} problem(s) in ${file}`);
  return 2;
}

/** Runs mmm-control with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: ControlIo = processIo): Promise<number> {
  const parsed = parseCommonArgs(argv, { force: { type: 'boolean' } });
  if (!parsed.ok) {
    io.err(`mmm-control: ${parsed.error}\nRun \`mmm-control help\` for usage.`);
    return 2;
  }
  const args = parsed.value;
  if (args.version) {
    io.out(`mmm-control ${version()}`);
    return 0;
  }
  const command = args.positionals[0];
  if (args.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === 'config-check') return configCheck(args, io);
  if (command === 'import-mmm') {
    io.err('ERROR: import-mmm is not implemented yet');
    return 1;
  }
  if ((MONITOR_COMMANDS as readonly string[]).includes(command)) {
    // Placeholder until the control client exists (a later issue): every monitor command reports the
    // monitor as unreachable, exactly as it will when the monitor is down.
    io.err("ERROR: Can't connect to monitor daemon!");
    return 1;
  }
  io.err(`mmm-control: unknown command "${command}"\nRun \`mmm-control help\` for usage.`);
  return 2;
}
