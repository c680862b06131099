import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import type { MonitorState } from '../../src/core/types.js';
import { T0, hostObs, makeConfig, observe, steady, withState } from './fixture.js';

const cfg = makeConfig();

/** Drops db3 from ONLINE and brings it back `n` times, one minute apart. */
function bounce(s: MonitorState, n: number, start: number): { s: MonitorState; t: number } {
  let t = start;
  for (let i = 0; i < n; i++) {
    s = decide(s, observe({ db3: hostObs({ mysql: 'fail' }) }), t, cfg).state;
    s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 1000 + i + 1 } }) }), t + 1000, cfg).state; // -> AWAITING_RECOVERY
    s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 1000 + i + 2 } }) }), t + 2000, cfg).state; // short outage -> ONLINE
    t += 60_000;
  }
  return { s, t };
}

test('short outage without reboot: AWAITING_RECOVERY -> ONLINE by itself', () => {
  const { s } = bounce(steady(cfg), 1, T0);
  assert.equal(s.hosts.db3?.state, 'ONLINE');
  assert.equal(s.hosts.db3?.flapping, false);
});

test('reboot (uptime went down) needs set_online', () => {
  let s = decide(steady(cfg), observe({ db3: hostObs({ mysql: 'fail' }) }), T0, cfg).state;
  s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 30 } }) }), T0 + 1000, cfg).state;
  s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 31 } }) }), T0 + 2000, cfg).state;
  assert.equal(s.hosts.db3?.state, 'AWAITING_RECOVERY');
});

test('long outage (uptime grew by 60 s or more) needs set_online', () => {
  let s = decide(steady(cfg), observe({ db3: hostObs({ mysql: 'fail' }) }), T0, cfg).state;
  s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 1061 } }) }), T0 + 61_000, cfg).state;
  s = decide(s, observe({ db3: hostObs({}, { agent: { reachable: true, uptimeS: 1062 } }) }), T0 + 62_000, cfg).state;
  assert.equal(s.hosts.db3?.state, 'AWAITING_RECOVERY');
});

test('auto_set_online brings AWAITING_RECOVERY ONLINE after the delay; 0 means never', () => {
  const auto = makeConfig({ autoSetOnlineMs: 30_000 });
  const s = withState(steady(auto), 'db3', 'AWAITING_RECOVERY', { since: T0, uptimeAtDownS: null });
  assert.equal(decide(s, observe(), T0 + 29_000, auto).state.hosts.db3?.state, 'AWAITING_RECOVERY');
  assert.equal(decide(s, observe(), T0 + 30_000, auto).state.hosts.db3?.state, 'ONLINE');
  const never = withState(steady(cfg), 'db3', 'AWAITING_RECOVERY', { since: T0, uptimeAtDownS: null });
  assert.equal(decide(never, observe(), T0 + 10_000_000, cfg).state.hosts.db3?.state, 'AWAITING_RECOVERY');
});

test('flapping: the 4th drop within flap_duration (flap_count 3) marks the host flapping; it stays out', () => {
  const { s, t } = bounce(steady(cfg), 3, T0);
  assert.equal(s.hosts.db3?.flapping, false);
  const r = decide(s, observe({ db3: hostObs({ mysql: 'fail' }) }), t, cfg);
  assert.equal(r.state.hosts.db3?.flapping, true);
  assert.ok(r.events.some((e) => e.event === 'host.flapping' && e.host === 'db3'));
  let s2 = decide(r.state, observe(), t + 1000, cfg).state;
  s2 = decide(s2, observe(), t + 2000, cfg).state;
  assert.equal(s2.hosts.db3?.state, 'AWAITING_RECOVERY', 'no automatic return while flapping');
});

test('drops older than flap_duration do not count', () => {
  const { s, t } = bounce(steady(cfg), 3, T0);
  const r = decide(s, observe({ db3: hostObs({ mysql: 'fail' }) }), t + 3_600_000, cfg);
  assert.equal(r.state.hosts.db3?.flapping, false);
});

test('a flapping host in REPLICATION_FAIL goes to AWAITING_RECOVERY, not ONLINE', () => {
  const s = withState(steady(cfg), 'db3', 'REPLICATION_FAIL', { flapping: true });
  assert.equal(decide(s, observe(), T0, cfg).state.hosts.db3?.state, 'AWAITING_RECOVERY');
});

test('set_online clears flapping; ack clears it too', () => {
  const s = withState(steady(cfg), 'db3', 'AWAITING_RECOVERY', { flapping: true });
  const r = decide(s, observe({}, { intents: [{ id: 'i1', kind: 'set_online', host: 'db3' }] }), T0, cfg);
  assert.equal(r.state.hosts.db3?.state, 'ONLINE');
  assert.equal(r.state.hosts.db3?.flapping, false);
  const a = decide(s, observe({}, { intents: [{ id: 'i2', kind: 'ack', host: 'db3' }] }), T0, cfg);
  assert.equal(a.state.hosts.db3?.flapping, false);
  assert.equal(a.intentResults[0]?.reply, "OK: Acknowledged host 'db3': flapping history cleared.");
});
