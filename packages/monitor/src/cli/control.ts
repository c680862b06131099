// mmm-control: the operator's command line: `help`, `--version`, the offline `config-check FILE`, and
// every monitor command sent over the control protocol (MMM's: words, then `quit`, raw text back).
import { existsSync } from 'node:fs';
import { formatProblem, loadConfig, summarizeConfig } from '@mmm-ts/protocol/config';
import { sendControlCommand } from '../daemon/control-client.js';
import { formatImportProblem, importMmm } from '../import-mmm/index.js';
import { formatPreflight, runPreflight } from '../preflight/index.js';
import { COMMON_FLAGS_HELP, parseCommonArgs, packageVersion } from './args.js';
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
  'move_role', 'set_ip', 'history', 'ack',
] as const;

/** The monitor's control address when no config file exists at the default path (spec defaults). */
const DEFAULT_CONTROL = { host: '127.0.0.1', port: 9988 };

const USAGE = `Usage: mmm-control [--config FILE] [--json] COMMAND [ARGS]

Commands:
  help                          this text
  ping                          check that the monitor answers
  ack HOST                      clear a host's flapping history
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

/** Where the monitor listens and how long a move may take: from --config, or the spec's defaults
 * when no --config was given and the default file does not exist. */
async function controlTarget(args: CommonArgs, io: ControlIo): Promise<{ host: string; port: number; moveMs: number } | null> {
  if (!args.configGiven && !existsSync(args.config)) return { ...DEFAULT_CONTROL, moveMs: 60_000 };
  const r = await loadConfig(args.config, { allowReadable: args.allowReadableConfig });
  if (!r.ok) {
    for (const p of r.error) io.err(formatProblem(p));
    return null;
  }
  const c = r.value;
  return { host: c.monitor.ip, port: c.monitor.port, moveMs: Math.max(c.agent.syncTimeoutMs, c.agent.maxKillRetries * 1_000) + 20_000 };
}

/** A command for the running monitor: exit 0 on `OK`/information, 1 on `ERROR:` or no monitor. */
async function monitorCommand(args: CommonArgs, io: ControlIo): Promise<number> {
  const target = await controlTarget(args, io);
  if (target === null) return 2;
  const words = [...args.positionals];
  if (args.flags['force'] === true) {
    if (words[0] !== 'move_role') {
      io.err('mmm-control: --force is only valid with move_role');
      return 2;
    }
    words.splice(1, 0, '--force');
  }
  const long = words[0] === 'move_role' || (words[0] ?? '').startsWith('set_');
  const r = await sendControlCommand({ host: target.host, port: target.port, words, json: args.json, replyTimeoutMs: long ? target.moveMs : 20_000 });
  if (!r.ok) {
    if (r.error.code === 'CONTROL_CONNECT_FAILED') {
      io.err("ERROR: Can't connect to monitor daemon!");
      if (args.json) io.out(JSON.stringify({ ok: false, error: "Can't connect to monitor daemon!" }));
    } else {
      io.err(`ERROR: ${r.error.message}`);
      if (args.json) io.out(JSON.stringify({ ok: false, error: r.error.message }));
    }
    return 1;
  }
  const text = r.value.replace(/\n$/, '');
  if (args.json) {
    let okField = false;
    try {
      const v: unknown = JSON.parse(text);
      okField = (v as { ok?: unknown } | null)?.ok === true;
      io.out(text);
    } catch {
      io.out(JSON.stringify({ ok: false, error: 'the monitor did not answer with JSON', reply: text }));
    }
    return okField ? 0 : 1;
  }
  if (text === '') {
    io.err('ERROR: empty reply from the monitor');
    return 1;
  }
  io.out(text);
  return text.startsWith('ERROR') ? 1 : 0;
}

/** `import-mmm FILE…`: MMM's config files → our YAML on stdout; problems as file:line, exit 2. */
function importCommand(args: CommonArgs, io: ControlIo): number {
  const files = args.positionals.slice(1);
  if (files.length === 0) {
    io.err('mmm-control: import-mmm needs at least one file (mmm_common.conf, mmm_agent.conf, mmm_mon.conf)');
    return 2;
  }
  const r = importMmm(files);
  if (!r.ok) {
    if (args.json) io.out(JSON.stringify({ ok: false, problems: r.error }));
    else for (const p of r.error) io.err(formatImportProblem(p));
    return 2;
  }
  if (args.json) {
    io.out(JSON.stringify({ ok: true, yaml: r.value.yaml, warnings: r.value.warnings }));
    return 0;
  }
  io.out(r.value.yaml.replace(/\n$/, ''));
  for (const w of r.value.warnings) io.err(`# warning: ${w}`);
  return 0;
}

/** `preflight`: checks every host and agent of the config directly (no monitor needed); exit 1 on any FAIL. */
async function preflightCommand(args: CommonArgs, io: ControlIo): Promise<number> {
  const loaded = await loadConfig(args.config, { allowReadable: args.allowReadableConfig });
  if (!loaded.ok) {
    for (const p of loaded.error) io.err(formatProblem(p));
    return 2;
  }
  const report = await runPreflight(loaded.value);
  if (args.json) io.out(JSON.stringify({ ok: report.failed === 0, ...report }));
  else io.out(formatPreflight(report));
  return report.failed > 0 ? 1 : 0;
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
    io.out(`mmm-control ${packageVersion()}`);
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
  if (command === 'import-mmm') return importCommand(args, io);
  if (command === 'preflight') return preflightCommand(args, io);
  if ((MONITOR_COMMANDS as readonly string[]).includes(command)) return monitorCommand(args, io);
  io.err(`mmm-control: unknown command "${command}"\nRun \`mmm-control help\` for usage.`);
  return 2;
}
