// The per-host checklist lines, each a pure decision over what was observed on that host.
import type { HostConfig, ClusterConfig } from '@mmm-ts/protocol/config';
import type { SqlError } from '@mmm-ts/protocol/mysql';
import { agentRequirements, bypassPrivileges, judgeBypass, missingPrivileges, monitorRequirements, REPLICATION_REQUIREMENTS, type Requirement } from './grants.js';
import type { AccountGrants, AgentPing, HostFacts, PreflightLine, PreflightStatus } from './types.js';

export function line(status: PreflightStatus, host: string | null, check: string, message: string, hint?: string): PreflightLine {
  return hint === undefined || status === 'PASS' ? { status, host, check, message } : { status, host, check, message, hint };
}

/** Agent reachable and authenticated: PING answered `OK: Pinged!` with a verified reply. */
export function checkAgent(h: HostConfig, ping: AgentPing, authenticated: boolean): PreflightLine {
  const at = `${h.ip}:${h.agentPort}`;
  if (ping.ok) {
    if (ping.payload.startsWith('OK: Pinged!')) {
      return line('PASS', h.name, 'agent', `agent at ${at} answered PING${authenticated ? ' (authenticated)' : ' (MMM v1 compatibility: unauthenticated)'}`);
    }
    return line('FAIL', h.name, 'agent', `agent at ${at} answered ${JSON.stringify(ping.payload.slice(0, 120))}`,
      `the agent listening there does not serve ${h.name}: check hosts.${h.name}.ip and the agent's --host`);
  }
  const e = ping.error;
  if (e.code === 'AUTH_FAILED') {
    return line('FAIL', h.name, 'agent', `agent at ${at} did not authenticate: ${e.message}`,
      'the monitor, mmm-control and every agent must use the same secret (security.secret_file) and clocks within 30 s');
  }
  if (e.code === 'CONNECT_REFUSED') {
    return line('FAIL', h.name, 'agent', `no agent listening at ${at}`, `start mmm-agent on ${h.name} (e.g. systemctl start mmm-agent) and check agent_port`);
  }
  return line('FAIL', h.name, 'agent', `agent at ${at} unreachable: ${e.message}`, `check that ${h.name} is up and that port ${h.agentPort} is open from this machine`);
}

/** The agent account could not connect or read the server. */
export function checkMysqlFailure(h: HostConfig, error: SqlError, stage: string): PreflightLine {
  const at = `${h.ip}:${h.mysqlPort}`;
  let hint = `check that mysqld runs on ${h.name} and listens on ${at} (bind-address, firewall)`;
  if (error.errno === 1045) hint = `check agent_user/agent_password for ${h.name}, and that the account's host part allows this machine`;
  else if (error.code === 'SQL_SERVER_ERROR') hint = `grant the agent account what it needs (see \`agent grants\`): ${h.agentUser} failed while ${stage}`;
  return line('FAIL', h.name, 'mysql', `cannot read MySQL at ${at} as ${h.agentUser} (${stage}): ${error.message}`, hint);
}

export function checkVersion(h: HostConfig, f: HostFacts): PreflightLine {
  const v = f.flavor;
  const name = v.kind === 'mariadb' ? 'MariaDB' : 'MySQL';
  const old = v.kind === 'mariadb' ? v.major < 10 || (v.major === 10 && v.minor < 3) : v.major < 5 || (v.major === 5 && v.minor < 7);
  return old
    ? line('WARN', h.name, 'version', `${name} ${v.version}: older than this project tests`, 'MMM-TS is tested on MariaDB 10.11; upgrade to MariaDB ≥ 10.3 or MySQL ≥ 5.7')
    : line('PASS', h.name, 'version', `${name} ${v.version}`);
}

/** server_id set and unique across the cluster (replication silently skips events of its own id). */
export function checkServerId(h: HostConfig, f: HostFacts, others: ReadonlyMap<string, number>): PreflightLine {
  const id = f.vars.serverId;
  const clash = [...others].filter(([n, o]) => n !== h.name && o === id).map(([n]) => n);
  if (id === 0) return line('FAIL', h.name, 'server_id', 'server_id is 0: replication cannot work', 'set a unique server_id in my.cnf ([mysqld] server_id=N) and restart');
  if (clash.length > 0) {
    return line('FAIL', h.name, 'server_id', `server_id ${id} is also used by ${clash.join(', ')}`,
      `give every host its own server_id (SET GLOBAL server_id=N and in my.cnf); with equal ids, replicas skip each other's events`);
  }
  return line('PASS', h.name, 'server_id', `server_id ${id} (unique)`);
}

/** GTID enabled and used by every replication channel; MariaDB: gtid_strict_mode on. */
export function checkGtid(h: HostConfig, f: HostFacts): PreflightLine {
  if (f.flavor.kind === 'mysql') {
    if (f.vars.gtidModeOn !== true) return line('FAIL', h.name, 'gtid', 'gtid_mode or enforce_gtid_consistency is not ON', 'set gtid_mode=ON and enforce_gtid_consistency=ON in my.cnf (online: step gtid_mode OFF→…→ON)');
    const noAuto = f.replicas.filter((r) => r.autoPosition !== true);
    if (noAuto.length > 0) return line('FAIL', h.name, 'gtid', `replication from ${noAuto.map((r) => r.sourceHost).join(', ')} does not use GTID auto-positioning`, 'CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1');
    return line('PASS', h.name, 'gtid', 'gtid_mode ON, replication by auto-position');
  }
  const noGtid = f.replicas.filter((r) => (r.usingGtid ?? 'No').toLowerCase() === 'no');
  if (noGtid.length > 0) {
    return line('FAIL', h.name, 'gtid', `replication from ${noGtid.map((r) => r.sourceHost).join(', ')} uses file/position, not GTID (Using_Gtid=No)`,
      'STOP SLAVE; CHANGE MASTER TO master_use_gtid=slave_pos; START SLAVE (a CHANGE MASTER with file/position silently turns GTID off)');
  }
  if (f.vars.gtidStrictMode !== true) {
    return line('WARN', h.name, 'gtid', 'gtid_strict_mode is OFF: errant transactions go unnoticed until they diverge data',
      'SET GLOBAL gtid_strict_mode=1 and gtid_strict_mode=1 in my.cnf');
  }
  return line('PASS', h.name, 'gtid', `gtid_strict_mode ON${f.replicas.length > 0 ? ', replication by GTID' : ''}`);
}

/** Binary log and log_slave_updates: needed on masters (the other master's replicas read them). */
export function checkBinlog(h: HostConfig, f: HostFacts): PreflightLine {
  const off = [...(f.vars.logBin ? [] : ['log_bin']), ...(f.vars.logReplicaUpdates ? [] : ['log_slave_updates'])];
  if (off.length === 0) return line('PASS', h.name, 'binlog', 'log_bin and log_slave_updates ON');
  const status = h.mode === 'master' ? 'FAIL' : 'WARN';
  const why = h.mode === 'master' ? 'a master must binlog what it writes and what it replicates' : 'this replica cannot serve as a source later';
  return line(status, h.name, 'binlog', `${off.join(' and ')} OFF: ${why}`, `set ${off.map((k) => `${k}=ON`).join(' and ')} in my.cnf and restart`);
}

const sourceOf = (cfg: ClusterConfig, ip: string): string | undefined => cfg.hostNames.find((n) => cfg.hosts[n]?.ip === ip || n === ip);

/** Masters replicate from their peer; replicas from one of the masters. */
export function checkSource(cfg: ClusterConfig, h: HostConfig, f: HostFacts): PreflightLine {
  const sources = f.replicas.map((r) => ({ r, name: sourceOf(cfg, r.sourceHost) }));
  const shown = sources.map((s) => s.name ?? s.r.sourceHost).join(', ');
  if (h.mode === 'master' && h.peer !== null) {
    const peer = cfg.hosts[h.peer];
    const ok = sources.some((s) => s.name === h.peer && (s.r.sourcePort === null || s.r.sourcePort === peer?.mysqlPort));
    if (ok) return line('PASS', h.name, 'source', `replicates from its peer ${h.peer}`);
    return line('FAIL', h.name, 'source', sources.length === 0 ? `does not replicate from anywhere; its peer is ${h.peer}` : `replicates from ${shown}, not from its peer ${h.peer}`,
      `CHANGE MASTER TO master_host='${peer?.ip ?? h.peer}', master_port=${peer?.mysqlPort ?? 3306}, master_user='${h.replicationUser}', master_password=…, master_use_gtid=slave_pos; START SLAVE`);
  }
  const masters = cfg.hostNames.filter((n) => cfg.hosts[n]?.mode === 'master');
  if (sources.some((s) => s.name !== undefined && masters.includes(s.name))) return line('PASS', h.name, 'source', `replicates from ${shown}`);
  return line('FAIL', h.name, 'source', sources.length === 0 ? 'does not replicate from anywhere' : `replicates from ${shown}, which is not a configured master`,
    `point it at the current writer by GTID: CHANGE MASTER TO master_host=…, master_use_gtid=slave_pos; START SLAVE`);
}

/** Replication threads running and lag within max_backlog. */
export function checkReplication(h: HostConfig, f: HostFacts, maxBacklogMs: number): PreflightLine {
  if (f.replicas.length === 0) return line('WARN', h.name, 'replication', 'no replication configured', 'see `source`');
  const broken = f.replicas.filter((r) => r.ioThread !== 'running' || !r.sqlRunning);
  if (broken.length > 0) {
    const what = broken.map((r) => {
      const err = [r.lastIoError, r.lastSqlError].filter((x) => x !== '').join('; ');
      return `from ${r.sourceHost}: IO ${r.ioThread}, SQL ${r.sqlRunning ? 'running' : 'stopped'}${err === '' ? '' : ` (${err.slice(0, 200)})`}`;
    });
    return line('FAIL', h.name, 'replication', `replication not running ${what.join('; ')}`, 'fix the error shown, then START SLAVE; mmm-control set_online is refused while replication is broken');
  }
  const lag = Math.max(...f.replicas.map((r) => r.secondsBehind ?? 0));
  if (lag * 1000 > maxBacklogMs) {
    return line('WARN', h.name, 'replication', `running, ${lag} s behind (max_backlog ${maxBacklogMs / 1000} s)`, 'the host will be REPLICATION_DELAY until it catches up; look for long transactions or a slow disk');
  }
  return line('PASS', h.name, 'replication', `IO and SQL threads running, ${lag} s behind`);
}

function grantsLine(h: HostConfig, check: string, account: string, g: AccountGrants, reqs: readonly Requirement[], loginFailStatus: PreflightStatus, loginHint: string): PreflightLine {
  if (!g.ok) return line(loginFailStatus, h.name, check, `cannot log in as ${account}: ${g.error.message}`, loginHint);
  const missing = missingPrivileges(g.grants, reqs);
  if (missing.length === 0) return line('PASS', h.name, check, `${account} has ${reqs.map((r) => r.anyOf[0]).join(', ')}`);
  return line('FAIL', h.name, check, `${account} lacks ${missing.join(', ')}`, `GRANT ${missing.join(', ')} ON *.* TO ${account}@…`);
}

/** Agent, monitor and replication accounts: log in and hold what they need. */
export function checkGrants(h: HostConfig, f: HostFacts): PreflightLine[] {
  return [
    grantsLine(h, 'agent grants', h.agentUser, f.agentGrants, agentRequirements(f.flavor), 'FAIL', 'check agent_user/agent_password'),
    grantsLine(h, 'monitor grants', h.monitorUser, f.monitorGrants, monitorRequirements(f.flavor), 'FAIL',
      `check monitor_user/monitor_password, and that the account allows the monitor's address`),
    grantsLine(h, 'replication grants', h.replicationUser, f.replicationGrants, REPLICATION_REQUIREMENTS, 'WARN',
      'the account may accept only the DB hosts\' addresses (fine); otherwise check replication_user/replication_password'),
  ];
}

/** No application account may write through read_only (READ_ONLY ADMIN on MariaDB, SUPER/CONNECTION_ADMIN on MySQL). */
export function checkFence(cfg: ClusterConfig, h: HostConfig, f: HostFacts): PreflightLine {
  const bypass = bypassPrivileges(f.flavor);
  if (f.privileged === null) {
    return line('WARN', h.name, 'read_only fence', `cannot tell which accounts hold ${bypass.join('/')}: ${h.agentUser} may not read other accounts' privileges`,
      `GRANT SELECT ON mysql.* TO ${h.agentUser}@… lets preflight check it; or run SHOW GRANTS for each application account yourself`);
  }
  const exempt = [...new Set(cfg.hostNames.map((n) => cfg.hosts[n]?.agentUser ?? ''))];
  const v = judgeBypass(f.privileged, bypass, exempt);
  const admins = v.admins.length === 0 ? '' : `; administrators (WITH GRANT OPTION) ${v.admins.join(', ')} also can: keep applications off them`;
  if (v.offenders.length > 0) {
    return line('FAIL', h.name, 'read_only fence', `${v.offenders.join(', ')} hold ${bypass.join('/')}: read_only does not stop their writes${admins}`,
      `REVOKE ${bypass[0] ?? ''} ON *.* FROM ${v.offenders[0] ?? ''} (and the others)`);
  }
  return line('PASS', h.name, 'read_only fence', `no application account holds ${bypass.join('/')}${admins}`);
}
