// Shared test cluster (MMM's sample: db1/db2 masters, db3 slave; writer + 3 readers) and builders
// for observations and states, so each table test states only what differs.
import { coreConfigFrom, type CoreConfig } from '../../src/core/config.js';
import { newHostRecord } from '../../src/core/draft.js';
import type { CheckResult, HostObs, HostRecord, HostState, MonitorState, Observations, RoleAssignment } from '../../src/core/types.js';

export function makeConfig(over: Partial<{ autoSetOnlineMs: number; mode: string; flapCount: number; carefulStartup: boolean; secondaryCheck: string; prefer: string | null }> = {}, core: Parameters<typeof coreConfigFrom>[1] = {}): CoreConfig {
  return coreConfigFrom(
    {
      hosts: {
        db1: { name: 'db1', ip: '10.0.0.11', mode: 'master', peer: 'db2' },
        db2: { name: 'db2', ip: '10.0.0.12', mode: 'master', peer: 'db1' },
        db3: { name: 'db3', ip: '10.0.0.13', mode: 'slave', peer: null },
      },
      roles: {
        writer: { name: 'writer', mode: 'exclusive', hosts: ['db1', 'db2'], ips: ['10.0.0.50'], prefer: over.prefer === undefined ? null : over.prefer },
        reader: { name: 'reader', mode: 'balanced', hosts: ['db1', 'db2', 'db3'], ips: ['10.0.0.51', '10.0.0.52', '10.0.0.53'], prefer: null },
      },
      roleNames: ['writer', 'reader'],
      activeMasterRole: 'writer',
      monitor: {
        mode: over.mode ?? 'active',
        autoSetOnlineMs: over.autoSetOnlineMs ?? 0,
        flapDurationMs: 3_600_000,
        flapCount: over.flapCount ?? 3,
        waitForOtherMasterMs: 120_000,
        carefulStartup: over.carefulStartup ?? true,
      },
      hooks: { secondaryCheck: over.secondaryCheck ?? 'agents' },
    },
    core,
  );
}

export const T0 = 1_000_000_000;

type Checks = Partial<Record<'ping' | 'mysql' | 'repThreads' | 'repBacklog', CheckResult>>;

/** A healthy host observation with overrides. */
export function hostObs(checks: Checks = {}, rest: Partial<HostObs> = {}): HostObs {
  return {
    checks: { ping: 'ok', mysql: 'ok', repThreads: 'ok', repBacklog: 'ok', ...checks },
    agent: { reachable: true, uptimeS: 1000 },
    repCaughtUp: true,
    ...rest,
  };
}

export function observe(hosts: Partial<Record<string, HostObs>> = {}, extra: Partial<Observations> = {}): Observations {
  return {
    hosts: { db1: hostObs(), db2: hostObs(), db3: hostObs(), ...hosts },
    monitorNetworkOk: true,
    ...extra,
  };
}

/** The steady state: all ONLINE for a long time, db1 writer, readers spread. */
export function steady(cfg: CoreConfig, over: Partial<Record<string, Partial<HostRecord>>> = {}, roles?: RoleAssignment[]): MonitorState {
  const hosts: Record<string, HostRecord> = {};
  for (const h of cfg.hostNames) hosts[h] = { ...newHostRecord('ONLINE', T0 - 3_600_000), uptimeS: 1000, ...over[h] };
  return {
    mode: cfg.initialMode,
    modeSince: T0 - 3_600_000,
    passiveReason: '',
    hosts,
    roles: roles ?? [
      { role: 'writer', ip: '10.0.0.50', host: 'db1' },
      { role: 'reader', ip: '10.0.0.51', host: 'db1' },
      { role: 'reader', ip: '10.0.0.52', host: 'db2' },
      { role: 'reader', ip: '10.0.0.53', host: 'db3' },
    ],
    activeMaster: 'db1',
    failover: null,
  };
}

export function withState(s: MonitorState, host: string, state: HostState, over: Partial<HostRecord> = {}): MonitorState {
  const rec = s.hosts[host];
  if (rec === undefined) throw new Error(`no host ${host}`);
  return { ...s, hosts: { ...s.hosts, [host]: { ...rec, state, onlineSince: state === 'ONLINE' ? rec.onlineSince : null, ...over } } };
}

export function holder(s: MonitorState, role: string, ip?: string): string {
  return s.roles.find((a) => a.role === role && (ip === undefined || a.ip === ip))?.host ?? '';
}
