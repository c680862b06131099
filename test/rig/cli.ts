#!/usr/bin/env node
// `npm run rig -- up|down|status [--prefix P] [--subnet N] [--hosts K] [--base-dir D]`: a rig for
// hands-on work and for e2e runs that want one long-lived cluster. `up` leaves the rig running after
// the command exits (rig.json in its base dir describes it); `down` removes every trace of the prefix.
import { parseArgs } from 'node:util';
import { attachRig, createRig } from './rig.js';
import { sweepSync } from './cleanup.js';
import { RigError } from './errors.js';
import { isAlive } from './proc.js';
import { readState } from './state.js';
import { defaultBaseDir, DEFAULT_HOSTS, planRig } from './topology.js';
import type { Rig } from './types.js';

const USAGE = 'usage: rig up|down|status [--prefix P (default sbx)] [--subnet N (default 0)] [--hosts K (default 3)] [--base-dir D]';

/** Prints what a running rig looks like. */
async function describe(rig: Rig): Promise<string> {
  const lines = [
    `rig ${rig.prefix}: 10.200.${rig.subnet}.0/24, bridge ${rig.bridge} ${rig.bridgeIp}, base dir ${rig.baseDir}`,
    `  client ns ${rig.clientNs} ${rig.clientIp}; writer VIP ${rig.writerVip}; reader VIPs ${rig.readerVips.join(' ')}`,
  ];
  for (const h of rig.hosts) {
    const pid = h.pid();
    let detail = 'mariadbd not running';
    if (pid !== null) {
      try {
        const [row] = await rig.sql(h.name, 'SELECT @@read_only AS ro, @@gtid_binlog_pos AS gtid', [], { timeoutMs: 1000 });
        const [slave] = await rig.sql(h.name, 'SHOW SLAVE STATUS', [], { timeoutMs: 1000 });
        const repl = slave === undefined ? 'no replication' : `IO=${String(slave['Slave_IO_Running'])} SQL=${String(slave['Slave_SQL_Running'])} from ${String(slave['Master_Host'])}`;
        detail = `pid ${pid}, read_only=${String(row?.['ro'])}, gtid_binlog_pos=${String(row?.['gtid'])}, ${repl}`;
      } catch (e) {
        detail = `pid ${pid}, not answering: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    lines.push(`  ${h.name} ${h.ip} ns ${h.ns} ${h.mode}${h.peer !== null ? ` peer ${h.peer}` : ''} server_id ${h.serverId}: ${detail}`);
    lines.push(`      mariadb -S ${h.socket} -u ${rig.users.admin.user} -p${rig.users.admin.password}`);
  }
  const u = rig.users;
  const users = { admin: u.admin, agent: u.agent, monitor: u.monitor, replication: u.replication, app: u.app };
  lines.push(`  users: ${Object.entries(users).map(([k, c]) => `${k}=${c.user}/${c.password}`).join(' ')}`);
  lines.push(`  config: ${rig.baseDir}/mmm.yaml`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      prefix: { type: 'string', default: 'sbx' },
      subnet: { type: 'string', default: '0' },
      hosts: { type: 'string', default: String(DEFAULT_HOSTS) },
      'base-dir': { type: 'string' },
    },
  });
  const cmd = positionals[0];
  const prefix = values.prefix;
  const baseDir = values['base-dir'] ?? defaultBaseDir(prefix);
  switch (cmd) {
    case 'up': {
      const rig = await createRig({
        prefix,
        subnet: Number(values.subnet),
        hosts: Number(values.hosts),
        baseDir,
        cleanupOnExit: false,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      await rig.writeClusterYaml();
      process.stdout.write(`${await describe(rig)}\n`);
      return 0;
    }
    case 'down': {
      const state = readState(planRig({ prefix, subnet: 0, baseDir }).stateFile);
      const pids = (state?.hosts ?? []).map((h) => h.pid).filter((p): p is number => p !== null && isAlive(p));
      const r = sweepSync(prefix, baseDir, pids);
      process.stdout.write(`rig ${prefix} down: killed ${r.killed.length} processes, deleted ${r.namespaces.length} namespaces and ${r.links.length} links\n`);
      return 0;
    }
    case 'status': {
      const rig = attachRig(prefix, { baseDir });
      process.stdout.write(`${await describe(rig)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof RigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
