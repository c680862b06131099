import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHistory, buildStatus, parseHistoryN } from '../../src/http/index.js';
import { T0, withState } from '../core/fixture.js';
import { fakeSource, moveRecord } from './fake-source.js';

test('status: cluster, mode, outcome, writer and every host with roles, agent and checks', () => {
  const src = fakeSource();
  const s = buildStatus(src);
  assert.equal(s.cluster, 'c1');
  assert.equal(s.mode, 'ACTIVE');
  assert.deepEqual(s.outcome, { code: 'NO_ACTION', sentence: 'no action. db1 is the writer, 3 hosts ONLINE' });
  assert.equal(s.writer, 'db1');
  assert.equal(s.activeMaster, 'db1');
  assert.equal(s.networkOk, true);
  assert.equal(s.failoverInProgress, null);
  assert.equal(s.lastFailover, null);
  assert.deepEqual(s.hosts.map((h) => [h.name, h.ip, h.mode, h.state]), [
    ['db1', '10.0.0.11', 'master', 'ONLINE'], ['db2', '10.0.0.12', 'master', 'ONLINE'], ['db3', '10.0.0.13', 'slave', 'ONLINE'],
  ]);
  const db1 = s.hosts[0];
  assert.deepEqual(db1?.roles, [{ role: 'writer', ip: '10.0.0.50' }, { role: 'reader', ip: '10.0.0.51' }]);
  assert.deepEqual(db1?.agent, { reachable: true, lastError: null, uptimeS: 1000 });
  assert.deepEqual(db1?.checks['ping'], { state: 'ok', since: new Date(T0).toISOString(), message: 'ok', lastDurationMs: 2 });
  assert.equal(db1?.since, new Date(T0 - 3_600_000).toISOString());
  const db3 = s.hosts[2];
  assert.deepEqual(db3?.agent, { reachable: false, lastError: 'CONNECT_REFUSED: connection refused', uptimeS: null });
  assert.deepEqual(db3?.checks['mysql'], { state: 'fail', since: new Date(T0 + 5_000).toISOString(), message: 'connection refused', lastDurationMs: null });
  assert.deepEqual(Object.keys(s.hosts[1]?.checks ?? {}), []);
});

test('status: an orphaned writer role gives writer null; lastFailover is the newest record', () => {
  const src = fakeSource();
  src.st = { ...withState(src.st, 'db1', 'HARD_OFFLINE'), roles: src.st.roles.map((r) => (r.role === 'writer' ? { ...r, host: '' } : r)), mode: 'PASSIVE', passiveReason: 'writer on two hosts' };
  src.records = [moveRecord('failover-1', T0), moveRecord('failover-2', T0 + 60_000)];
  src.net = false;
  const s = buildStatus(src);
  assert.equal(s.writer, null);
  assert.equal(s.mode, 'PASSIVE');
  assert.equal(s.passiveReason, 'writer on two hosts');
  assert.equal(s.networkOk, false);
  assert.equal(s.hosts[0]?.state, 'HARD_OFFLINE');
  assert.deepEqual(s.hosts[0]?.roles, [{ role: 'reader', ip: '10.0.0.51' }]);
  assert.equal(s.lastFailover?.id, 'failover-2');
  // The document is plain JSON (what the endpoint sends).
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('history: n defaults to 20, accepts 1..100, refuses anything else with HTTP_BAD_PARAMETER', () => {
  assert.deepEqual(parseHistoryN(null), { ok: true, value: 20 });
  assert.deepEqual(parseHistoryN('1'), { ok: true, value: 1 });
  assert.deepEqual(parseHistoryN('100'), { ok: true, value: 100 });
  for (const bad of ['0', '101', '-1', '2.5', 'abc', '', '1e2', '99999']) {
    const r = parseHistoryN(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.error.code, 'HTTP_BAD_PARAMETER');
  }
});

test('history: the last n records, newest last', () => {
  const src = fakeSource();
  src.records = [1, 2, 3].map((i) => moveRecord(`failover-${i}`, T0 + i));
  assert.deepEqual(buildHistory(src, 2).records.map((r) => r.id), ['failover-2', 'failover-3']);
  assert.equal(buildHistory(src, 20).records.length, 3);
});
