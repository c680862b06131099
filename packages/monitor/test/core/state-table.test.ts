import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextHostState, type TransitionInputs } from '../../src/core/state-table.js';
import type { HostState } from '../../src/core/types.js';

const base: TransitionInputs = {
  ping: 'ok', mysql: 'ok', repThreads: 'ok', repBacklog: 'ok',
  peerOk: true, peerOnline: true, replicationExempt: false, replicationMatters: true,
  flapping: false, shortOutage: false, autoSetOnlineDue: false, flapAutoOnlineDue: false,
};

const rows: { name: string; from: HostState; i: Partial<TransitionInputs>; to: HostState | null }[] = [
  { name: 'ONLINE, ping fails', from: 'ONLINE', i: { ping: 'fail' }, to: 'HARD_OFFLINE' },
  { name: 'ONLINE, mysql fails', from: 'ONLINE', i: { mysql: 'fail' }, to: 'HARD_OFFLINE' },
  { name: 'ONLINE, mysql unknown changes nothing', from: 'ONLINE', i: { mysql: 'unknown' }, to: null },
  { name: 'ONLINE, rep threads fail, peer OK', from: 'ONLINE', i: { repThreads: 'fail' }, to: 'REPLICATION_FAIL' },
  { name: 'ONLINE, rep threads fail, peer not OK', from: 'ONLINE', i: { repThreads: 'fail', peerOk: false }, to: null },
  { name: 'ONLINE, rep threads fail, exempt (active master / peer recently online)', from: 'ONLINE', i: { repThreads: 'fail', replicationExempt: true }, to: null },
  { name: 'ONLINE, backlog fails, peer OK', from: 'ONLINE', i: { repBacklog: 'fail' }, to: 'REPLICATION_DELAY' },
  { name: 'ONLINE, backlog fails, threads unknown', from: 'ONLINE', i: { repBacklog: 'fail', repThreads: 'unknown' }, to: null },
  { name: 'ONLINE, backlog fails, exempt', from: 'ONLINE', i: { repBacklog: 'fail', replicationExempt: true }, to: null },
  { name: 'ONLINE, all OK', from: 'ONLINE', i: {}, to: null },
  { name: 'HARD_OFFLINE, still down', from: 'HARD_OFFLINE', i: { mysql: 'fail' }, to: null },
  { name: 'HARD_OFFLINE, back, threads fail', from: 'HARD_OFFLINE', i: { repThreads: 'fail' }, to: 'REPLICATION_FAIL' },
  { name: 'HARD_OFFLINE, back, backlog fails', from: 'HARD_OFFLINE', i: { repBacklog: 'fail' }, to: 'REPLICATION_DELAY' },
  { name: 'HARD_OFFLINE, back, all OK', from: 'HARD_OFFLINE', i: {}, to: 'AWAITING_RECOVERY' },
  { name: 'HARD_OFFLINE, back, threads unknown waits', from: 'HARD_OFFLINE', i: { repThreads: 'unknown' }, to: null },
  { name: 'HARD_OFFLINE, back, no active master and writer-capable: replication ignored', from: 'HARD_OFFLINE', i: { repThreads: 'fail', replicationMatters: false }, to: 'AWAITING_RECOVERY' },
  { name: 'HARD_OFFLINE, ping unknown', from: 'HARD_OFFLINE', i: { ping: 'unknown' }, to: null },
  { name: 'AWAITING_RECOVERY, ping fails', from: 'AWAITING_RECOVERY', i: { ping: 'fail' }, to: 'HARD_OFFLINE' },
  { name: 'AWAITING_RECOVERY, all OK, nothing due', from: 'AWAITING_RECOVERY', i: {}, to: null },
  { name: 'AWAITING_RECOVERY, short outage without reboot', from: 'AWAITING_RECOVERY', i: { shortOutage: true }, to: 'ONLINE' },
  { name: 'AWAITING_RECOVERY, auto_set_online due', from: 'AWAITING_RECOVERY', i: { autoSetOnlineDue: true }, to: 'ONLINE' },
  { name: 'AWAITING_RECOVERY, short outage but backlog fails', from: 'AWAITING_RECOVERY', i: { shortOutage: true, repBacklog: 'fail' }, to: null },
  { name: 'AWAITING_RECOVERY, flapping, short outage ignored', from: 'AWAITING_RECOVERY', i: { flapping: true, shortOutage: true, autoSetOnlineDue: true }, to: null },
  { name: 'AWAITING_RECOVERY, flapping, quiet for flap_duration with auto_set_online', from: 'AWAITING_RECOVERY', i: { flapping: true, flapAutoOnlineDue: true }, to: 'ONLINE' },
  { name: 'REPLICATION_FAIL, replication OK', from: 'REPLICATION_FAIL', i: {}, to: 'ONLINE' },
  { name: 'REPLICATION_DELAY, replication OK', from: 'REPLICATION_DELAY', i: {}, to: 'ONLINE' },
  { name: 'REPLICATION_FAIL, threads fail, peer not ONLINE', from: 'REPLICATION_FAIL', i: { repThreads: 'fail', peerOnline: false }, to: 'ONLINE' },
  { name: 'REPLICATION_FAIL, threads still fail, peer ONLINE', from: 'REPLICATION_FAIL', i: { repThreads: 'fail' }, to: null },
  { name: 'REPLICATION_FAIL, OK but flapping', from: 'REPLICATION_FAIL', i: { flapping: true }, to: 'AWAITING_RECOVERY' },
  { name: 'REPLICATION_DELAY, OK but flapping', from: 'REPLICATION_DELAY', i: { flapping: true }, to: 'AWAITING_RECOVERY' },
  { name: 'REPLICATION_FAIL, threads OK, backlog fails', from: 'REPLICATION_FAIL', i: { repBacklog: 'fail' }, to: 'REPLICATION_DELAY' },
  { name: 'REPLICATION_DELAY, threads fail', from: 'REPLICATION_DELAY', i: { repThreads: 'fail' }, to: 'REPLICATION_FAIL' },
  { name: 'REPLICATION_FAIL, mysql fails', from: 'REPLICATION_FAIL', i: { mysql: 'fail', repThreads: 'fail' }, to: 'HARD_OFFLINE' },
  { name: 'REPLICATION_DELAY, ping fails', from: 'REPLICATION_DELAY', i: { ping: 'fail' }, to: 'HARD_OFFLINE' },
  { name: 'REPLICATION_DELAY, backlog unknown', from: 'REPLICATION_DELAY', i: { repBacklog: 'unknown' }, to: null },
  { name: 'ADMIN_OFFLINE never leaves by itself', from: 'ADMIN_OFFLINE', i: { shortOutage: true, autoSetOnlineDue: true }, to: null },
  { name: 'ADMIN_OFFLINE, host down: stays', from: 'ADMIN_OFFLINE', i: { ping: 'fail' }, to: null },
  { name: 'UNKNOWN stays (set at startup)', from: 'UNKNOWN', i: {}, to: null },
];

for (const r of rows) {
  test(`state table: ${r.name}`, () => {
    const t = nextHostState(r.from, { ...base, ...r.i });
    assert.equal(t?.to ?? null, r.to);
  });
}

test('state table: HARD_OFFLINE reason names the failed checks as MMM logs them', () => {
  assert.equal(nextHostState('ONLINE', { ...base, mysql: 'fail' })?.reason, 'ping: OK, mysql: not OK');
});
