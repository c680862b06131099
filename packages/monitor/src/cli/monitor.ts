// `mmm-monitor --config FILE`: runs the monitor in the foreground (systemd), logs pino JSON on stdout,
// exits 2 on a bad command line or config (every problem with file:line:col), and stops cleanly
// within 5 s on SIGTERM/SIGINT.
import { createLogger } from '@mmm-ts/protocol';
import { formatProblem, loadConfig } from '@mmm-ts/protocol/config';
import { createCheckRunner } from '../checks/index.js';
import { startMonitor } from '../daemon/daemon.js';
import { COMMON_FLAGS_HELP, parseCommonArgs, packageVersion } from './args.js';

const USAGE = `Usage: mmm-monitor [--config FILE] [--log-level LEVEL] [--log-pretty] [--allow-readable-config]

Runs the MMM-TS monitor: checks every host, decides host states and roles, tells the agents, and
answers mmm-control on monitor.ip:monitor.port.
${COMMON_FLAGS_HELP.split('\n').filter((l) => !l.includes('--json')).join('\n')}`;


/** Runs mmm-monitor with argv (without node and script); resolves to the exit code when stopped. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommonArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`mmm-monitor: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.value;
  if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (args.version) { process.stdout.write(`mmm-monitor ${packageVersion()}\n`); return 0; }
  if (args.positionals.length > 0) {
    process.stderr.write(`mmm-monitor: unexpected argument "${args.positionals[0] ?? ''}"\n${USAGE}\n`);
    return 2;
  }
  const loaded = await loadConfig(args.config, { allowReadable: args.allowReadableConfig });
  if (!loaded.ok) {
    for (const p of loaded.error) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`mmm-monitor: ${loaded.error.length} problem(s) in ${args.config}\n`);
    return 2;
  }
  const cfg = loaded.value;
  const logger = createLogger({ name: 'mmm-monitor', level: args.logLevel, pretty: args.logPretty }).child({ cluster: cfg.cluster });

  let signalled: string | null = null;
  let wakeStop: (() => void) | null = null;
  const onSignal = (s: string): void => {
    if (signalled !== null) return;
    signalled = s;
    logger.info({ event: 'monitor.stopping', signal: s }, 'stopping');
    wakeStop?.();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  const started = await startMonitor(cfg, {
    logger,
    checks: (onChange) => createCheckRunner(cfg, { logger, onChange }),
  });
  if (!started.ok) {
    logger.error({ event: 'monitor.start_failed', code: started.error.code, err: started.error.message }, 'cannot start');
    process.stderr.write(`mmm-monitor: ${started.error.message}\n`);
    logger.flush();
    return 1;
  }
  const mon = started.value;
  if (signalled === null) await new Promise<void>((resolve) => { wakeStop = resolve; });
  await mon.stop(3_500);
  logger.flush();
  // Requests still in flight to agents are bounded but may outlive the 5 s budget: do not wait for them.
  setTimeout(() => process.exit(0), 300).unref();
  return 0;
}
