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
  },
  host: {
    agentPort: 9989,
    mysqlPort: 3306,
    interface: 'eth0',
    agentUser: 'mmm_agent',
    monitorUser: 'mmm_monitor',
    replicationUser: 'repl',
  },
  check: { intervalMs: 1000, trapMs: 2000, timeoutMs: 500 },
  maxBacklogMs: 60_000,
  agent: { denyWrite: 'hard', maxKillRetries: 10, syncTimeoutMs: 30_000 },
  hooks: { secondaryCheck: 'agents' },
} as const;
