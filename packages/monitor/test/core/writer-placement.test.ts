// First start is not a failover: the writer role has no holder because no host is ONLINE yet, and it
// is placed when one becomes ONLINE (found on the sandbox: a first start used to wait for a "release"
// and hand the writer to whichever other host came ONLINE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import type { MonitorState, RoleAssignment } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig({ prefer: 'db1' });
const orphaned: RoleAssignment[] = [
  { role: 'writer', ip: '10.0.0.50', host: '' },
  { role: 'reader', ip: '10.0.0.51', host: '' },
  { role: 'reader', ip: '10.0.0.52', host: '' },
  { role: 'reader', ip: '10.0.0.53', host: '' },
];

function firstStart(activeMaster: string): MonitorState {
  let s: MonitorState = { ...steady(cfg, {}, orphaned), activeMaster };
  for (const h of cfg.hostNames) s = withState(s, h, 'AWAITING_RECOVERY');
  return s;
}

test('first start with every host awaiting recovery: no failover is started', () => {
  const r = decide(firstStart('db1'), observe(), T0, cfg);
  assert.equal(r.state.failover, null);
  assert.notEqual(r.outcome.code, 'FAILOVER_STARTED');
  assert.notEqual(r.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(holder(r.state, 'writer'), '');
  assert.ok(r.commands.every((c) => c.roles.length === 0), 'nobody gets a role while nobody is ONLINE');
});

test('set_online of the last writer places the writer on it, with no release of anybody', () => {
  const s = withState(firstStart('db1'), 'db1', 'ONLINE', { onlineSince: T0 });
  const r = decide(s, observe(), T0 + 100, cfg);
  assert.equal(holder(r.state, 'writer'), 'db1');
  assert.equal(r.state.activeMaster, 'db1');
  assert.equal(r.state.failover, null);
  assert.equal(r.outcome.code, 'WRITER_PROMOTED');
  assert.ok(r.commands.every((c) => c.purpose !== 'release'));
});

test('a later set_online of another host does not move the placed writer', () => {
  const s1 = withState(firstStart('db1'), 'db1', 'ONLINE', { onlineSince: T0 });
  const r1 = decide(s1, observe(), T0 + 100, cfg);
  const r2 = decide(withState(r1.state, 'db2', 'ONLINE', { onlineSince: T0 + 200 }), observe(), T0 + 300, cfg);
  assert.equal(holder(r2.state, 'writer'), 'db1');
});

test('no last writer known: the preferred candidate gets the role directly', () => {
  const s = withState(firstStart(''), 'db2', 'ONLINE', { onlineSince: T0 });
  const r = decide(s, observe(), T0 + 100, cfg);
  assert.equal(holder(r.state, 'writer'), 'db2', 'db1 is preferred but not ONLINE');
  assert.equal(r.state.failover, null);
});

test('last writer not eligible while another host is: the move makes the last writer release first', () => {
  const s = withState(firstStart('db1'), 'db2', 'ONLINE', { onlineSince: T0 });
  const r = decide(s, observe(), T0 + 100, cfg);
  assert.equal(holder(r.state, 'writer'), '', 'db2 waits for db1 to release');
  assert.equal(r.state.failover?.from, 'db1');
  assert.ok(r.commands.some((c) => c.host === 'db1' && c.purpose === 'release'));
});

test('a blocked failover ends when the old writer is eligible again and nobody else is', () => {
  const down = hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false } });
  const base = withState(steady(cfg), 'db2', 'REPLICATION_FAIL');
  const r1 = decide(base, observe({ db1: down, db2: hostObs({ repThreads: 'fail' }) }), T0, cfg);
  assert.equal(holder(r1.state, 'writer'), '');
  assert.notEqual(r1.state.failover, null);
  const back = withState(r1.state, 'db1', 'ONLINE', { onlineSince: T0 + 1000 });
  const r2 = decide(back, observe({ db2: hostObs({ repThreads: 'fail' }) }), T0 + 1100, cfg);
  assert.equal(holder(r2.state, 'writer'), 'db1');
  assert.equal(r2.state.failover, null);
});
