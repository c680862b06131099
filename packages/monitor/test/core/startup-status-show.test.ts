import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { startup, voteWriter, type AgentStatus, type SystemStatus } from '../../src/core/startup.js';
import { formatStatusFile, parseStatusFile, type StoredStatus } from '../../src/core/status-file.js';
import { formatShow } from '../../src/core/show.js';
import type { Role } from '../../src/core/types.js';
import { T0, holder, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig();
const R = (name: string, ip: string): Role => ({ name, ip });
const STEADY_FILE = 'db1|ONLINE|reader(10.0.0.51),writer(10.0.0.50)\ndb2|ONLINE|reader(10.0.0.52)\ndb3|ONLINE|reader(10.0.0.53)\n';

function parsed(text: string): StoredStatus {
  const r = parseStatusFile(text);
  assert.ok(r.ok);
  return r.value;
}
const agents: Record<string, AgentStatus> = {
  db1: { state: 'ONLINE', roles: [R('reader', '10.0.0.51'), R('writer', '10.0.0.50')], master: '' },
  db2: { state: 'ONLINE', roles: [R('reader', '10.0.0.52')], master: '' },
  db3: { state: 'ONLINE', roles: [R('reader', '10.0.0.53')], master: 'db1' },
};
const systems: Record<string, SystemStatus> = {
  db1: { writable: true, roles: [R('writer', '10.0.0.50'), R('reader', '10.0.0.51')], masterIp: '10.0.0.12' },
  db2: { writable: false, roles: [R('reader', '10.0.0.52')], masterIp: '10.0.0.11' },
  db3: { writable: false, roles: [R('reader', '10.0.0.53')], masterIp: '10.0.0.11' },
};

test('status file: format and parse round trip', () => {
  const text = formatStatusFile(steady(cfg), cfg);
  assert.equal(text, STEADY_FILE);
  assert.equal(formatStatusFile({ ...steady(cfg), roles: parseStatusFileRoles(text) }, cfg), text);
});

function parseStatusFileRoles(text: string): ReturnType<typeof steady>['roles'] {
  const st = parsed(text);
  return Object.entries(st).flatMap(([host, h]) => h.roles.map((r) => ({ role: r.name, ip: r.ip, host })));
}

test('status file: malformed lines are errors naming the line', () => {
  const bad = parseStatusFile('db1|ONLINE|\ndb2|SLEEPING|\n');
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'CORE_STATUS_FILE_BAD_LINE');
    assert.equal(bad.error.line, 2);
  }
  assert.equal(parseStatusFile('db1|ONLINE|reader(1.2.3.4);rm -rf\n').ok, false);
  assert.equal(parseStatusFile('db1|ONLINE\n').ok, false);
  assert.deepEqual(parsed(''), {});
});

test('writer vote: writable +4, VIP +2, stored +1, agent +1, each slave replicating from it +1', () => {
  assert.deepEqual(voteWriter(parsed(STEADY_FILE), agents, systems, cfg), [{ host: 'db1', score: 4 + 2 + 1 + 1 + 1 }]);
  const split = voteWriter({}, {}, { ...systems, db2: { writable: true, roles: [], masterIp: '' } }, cfg);
  assert.deepEqual(split, [{ host: 'db1', score: 7 }, { host: 'db2', score: 4 }]);
});

test('a monitor restart in steady state moves no role', () => {
  const st = startup(parsed(STEADY_FILE), agents, systems, cfg, T0);
  assert.equal(st.outcome.code, 'STARTUP_RESTORED');
  assert.equal(st.state.activeMaster, 'db1');
  assert.deepEqual(st.state.roles, steady(cfg).roles);
  const r = decide(st.state, observe(), T0 + 100, cfg);
  assert.equal(r.outcome.code, 'NO_ACTION');
  assert.deepEqual(r.state.roles, steady(cfg).roles);
});

test('careful_startup: the writer IP on two hosts -> PASSIVE with the cause', () => {
  const both = { ...systems, db2: { writable: true, roles: [R('writer', '10.0.0.50')], masterIp: '' } };
  const st = startup(parsed(STEADY_FILE), agents, both, cfg, T0);
  assert.equal(st.outcome.code, 'STARTUP_PASSIVE');
  assert.equal(st.state.mode, 'PASSIVE');
  assert.match(st.state.passiveReason, /db1, db2/);
  const loose = makeConfig({ carefulStartup: false });
  assert.equal(startup(parsed(STEADY_FILE), agents, both, loose, T0).state.mode, 'ACTIVE');
});

test('first start with nothing stored: hosts AWAITING_RECOVERY (MMM), no roles', () => {
  const st = startup({}, { db1: null, db2: null, db3: null }, { db1: null, db2: null, db3: null }, cfg, T0);
  assert.deepEqual(Object.values(st.state.hosts).map((h) => h.state), ['AWAITING_RECOVERY', 'AWAITING_RECOVERY', 'AWAITING_RECOVERY']);
  assert.equal(holder(st.state, 'writer'), '');
  assert.equal(st.state.hosts.db1?.agentDown, true);
});

test('show: MMM format, hosts sorted, roles sorted, warnings and passive header', () => {
  const s = steady(cfg);
  assert.equal(
    formatShow(s, cfg),
    '  db1(10.0.0.11) master/ONLINE. Roles: reader(10.0.0.51), writer(10.0.0.50)\n' +
      '  db2(10.0.0.12) master/ONLINE. Roles: reader(10.0.0.52)\n' +
      '  db3(10.0.0.13) slave/ONLINE. Roles: reader(10.0.0.53)\n',
  );
  const p = { ...withState(s, 'db2', 'AWAITING_RECOVERY', { agentDown: true }), mode: 'PASSIVE' as const, passiveReason: 'Admin switched to passive mode.' };
  assert.equal(
    formatShow({ ...p, roles: p.roles.map((a) => (a.host === 'db2' ? { ...a, host: '' } : a)) }, cfg),
    '# --- Monitor is in PASSIVE MODE ---\n# Cause: Admin switched to passive mode.\n' +
      '# Warning: agent on host db2 is not reachable\n' +
      '  db1(10.0.0.11) master/ONLINE. Roles: reader(10.0.0.51), writer(10.0.0.50)\n' +
      '  db2(10.0.0.12) master/AWAITING_RECOVERY. Roles: \n' +
      '  db3(10.0.0.13) slave/ONLINE. Roles: reader(10.0.0.53)\n',
  );
});

test('show: preferred-host lines as MMM prints them', () => {
  const c = makeConfig({ prefer: 'db1' });
  const s = steady(c);
  assert.match(formatShow(s, c), /# Role writer is assigned to it's preferred host db1\.\n$/);
  const moved = { ...s, roles: s.roles.map((a) => (a.role === 'writer' ? { ...a, host: 'db2' } : a)) };
  assert.match(formatShow(moved, c), /# Role writer has db1 configured as it's preferred host but is assigned to db2 at the moment\.\n$/);
});
