// `mmm-agent --config FILE [--host NAME]`: serves the agent protocol for one DB host, in the
// foreground (systemd), and stops cleanly within 5 s on SIGTERM/SIGINT.
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger, LOG_LEVELS, readUptimeSeconds, startLineServer, type LogLevel } from '@mmm-ts/protocol';
import { formatProblem, loadConfig, type ClusterConfig, type HostConfig } from '@mmm-ts/protocol/config';
import { systemClock } from '../clock.js';
import { createExecaIpOps } from '../ip/execa-ip-ops.js';
import { connectMysql } from '@mmm-ts/protocol/mysql';
import { localEndpoint } from '../sql/local.js';
import { Agent } from '../server/agent.js';
import { LocalDb } from '../server/local-db.js';
import { createRuntime } from '../server/runtime.js';
import { LEASE_TICK_MS } from '../server/safety-wiring.js';
import { AGENT_VERSION } from './version.js';

const USAGE = `Usage: mmm-agent [--config FILE] [--host NAME] [--log-level LEVEL] [--log-pretty] [--allow-readable-config]

Serves the MMM agent protocol for one database host and applies the roles the monitor assigns.
  --config FILE            cluster config (default /etc/mmm/cluster.yaml)
  --host NAME              which host of the config this is (default: the host whose ip is on this machine)
  --log-level LEVEL        trace|debug|info|warn|error (default info)
  --log-pretty             human-readable log lines instead of pino JSON
  --allow-readable-config  accept a config file readable by group or others
  --help, --version`;

/** Re-assertion period for held roles (address present, writer writable, ARP refreshed). */
const REASSERT_INTERVAL_MS = 5_000;

function pickHost(cfg: ClusterConfig, name: string | undefined): HostConfig | string {
  if (name !== undefined) return cfg.hosts[name] ?? `host '${name}' is not defined in ${cfg.file} (hosts: ${cfg.hostNames.join(', ')})`;
  const local = new Set(Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address)));
  const mine = cfg.hostNames.map((n) => cfg.hosts[n]).filter((h): h is HostConfig => h !== undefined && local.has(h.ip));
  if (mine.length === 1 && mine[0] !== undefined) return mine[0];
  if (mine.length === 0) return `no host of ${cfg.file} has its ip on this machine; pass --host NAME`;
  return `several hosts of ${cfg.file} have their ip on this machine (${mine.map((h) => h.name).join(', ')}); pass --host NAME`;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', default: '/etc/mmm/cluster.yaml' },
        host: { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        'log-pretty': { type: 'boolean', default: false },
        'allow-readable-config': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`mmm-agent: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (values.version) { process.stdout.write(`mmm-agent ${AGENT_VERSION}\n`); return 0; }
  const level = values['log-level'];
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    process.stderr.write(`mmm-agent: --log-level must be one of ${LOG_LEVELS.join('|')} (got '${level}')\n`);
    return 2;
  }
  const loaded = await loadConfig(values.config, { allowReadable: values['allow-readable-config'] });
  if (!loaded.ok) {
    for (const p of loaded.error) process.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  }
  const cfg = loaded.value;
  const host = pickHost(cfg, values.host);
  if (typeof host === 'string') { process.stderr.write(`mmm-agent: ${host}\n`); return 2; }

  const logger = createLogger({ name: 'mmm-agent', level: level as LogLevel, pretty: values['log-pretty'] }).child({ cluster: cfg.cluster, host: host.name });
  const ipOps = createExecaIpOps({
    onAnnounceError: (e) => logger.warn({ event: 'agent.arp_failed', err: e.message }, 'gratuitous ARP failed'),
  });
  const db = new LocalDb({ endpoint: localEndpoint(host), connect: connectMysql, connectTimeoutMs: 1_000, queryTimeoutMs: 1_000, clock: systemClock, logger });
  const rt = createRuntime({ cfg, host, db, ipOps, connect: connectMysql, logger });
  const agent = new Agent(rt, readUptimeSeconds);
  await agent.adoptExistingRoles();

  let server;
  try {
    server = await startLineServer({
      host: host.ip, port: host.agentPort, secret: cfg.security.secret, logger,
      handler: (line) => agent.handle(line),
    });
  } catch (e) {
    process.stderr.write(`mmm-agent: cannot listen on ${host.ip}:${host.agentPort}: ${e instanceof Error ? e.message : String(e)}\n`);
    await db.reset();
    return 1;
  }
  logger.info({
    event: 'agent.started', ip: host.ip, port: host.agentPort, authenticated: cfg.security.secret !== null, version: AGENT_VERSION,
    writerLeaseMs: cfg.fencing.writerLeaseMs, failsafe: cfg.fencing.failsafe,
  }, 'agent listening');

  const timer = setInterval(() => { void agent.reassert(); }, REASSERT_INTERVAL_MS);
  // The writer lease (docs/fencing.md): checked often so a lost lease fences within ~150 ms of expiry.
  const leaseTimer = cfg.fencing.writerLeaseMs > 0 ? setInterval(() => { void agent.leaseTick(); }, LEASE_TICK_MS) : null;
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      clearInterval(timer);
      if (leaseTimer !== null) clearInterval(leaseTimer);
      logger.info({ event: 'agent.stopping', signal }, 'stopping');
      const hard = setTimeout(() => resolve(0), 4_000);
      hard.unref();
      void server.close().then(() => db.reset()).finally(() => { clearTimeout(hard); logger.flush(); resolve(0); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
