// Every default of spec/config.md in one place, in compiled units.

export const DEFAULTS = {
  activeMasterRole: 'writer',
  monitor: {
    ip: '127.0.0.1',
    port: 9988,
    statusDir: '/var/lib/mmm',
    mode: 'active',
    carefulStartup: true,
    autoSetOnlineMs: 0,
    flapDurationMs: 3_600_000,
    flapCount: 3,
    waitForOtherMasterMs: 120_000,
    // Anti-flapping: no automatic failover this long after one, unless `mmm-control ack` (0 = off).
    failoverBlockMs: 3_600_000,
  },
  host: {
    agentPort: 9989,
    mysqlPort: 3306,
    interface: 'eth0',
    agentUser: 'mmm_agent',
    monitorUser: 'mmm_monitor',
    replicationUser: 'repl',
  },
  // Measured on the rig (docs/monitor-checks.md): a killed mysqld is reported in ~115 ms through the
  // refused fast path, while a timeout needs 2+ failed probes over a full second, so one slow probe or
  // one lost packet never traps.
  check: { intervalMs: 250, trapMs: 1000, timeoutMs: 400 },
  replicationCheck: { intervalMs: 500, trapMs: 1000, timeoutMs: 400 },
  maxBacklogMs: 60_000,
  agent: { denyWrite: 'hard', maxKillRetries: 10, syncTimeoutMs: 30_000 },
  // Per-hook timeouts: the writer-address scripts sit on the failover's critical path, a power-off
  // through IPMI takes 7-10 s (MHA's figure), a report may send mail.
  hooks: {
    secondaryCheck: 'agents',
    sshUser: 'root',
    timeoutMs: {
      master_ip_failover_script: 10_000,
      master_ip_online_change_script: 10_000,
      shutdown_script: 30_000,
      report_script: 30_000,
    },
  },
  fencing: { writerLeaseMs: 3_000, marginMs: 1_000, failsafe: 'peers' },
} as const;
