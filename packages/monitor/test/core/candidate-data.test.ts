// Before any promotion the candidate's data is compared with the others' (issue 7): a candidate with
// errant transactions, or lacking transactions another host has, is refused unless forced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { writerCandidateWhyNot } from '../../src/core/failover.js';
import type { HostObs } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady } from './fixture.js';

const cfg = makeConfig();
const dead: HostObs = hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false } });

test('a failover candidate with errant transactions is refused, with the GTIDs', () => {
  const r = decide(steady(cfg), observe({ db1: dead, db2: hostObs({}, { errant: ['0-2-229'] }) }), T0, cfg);
  assert.equal(holder(r.state, 'writer'), '');
  assert.match(r.outcome.sentence, /errant transactions .*0-2-229/);
});

test('a failover candidate lacking what a replica has is refused, with the GTIDs', () => {
  const r = decide(steady(cfg), observe({ db1: dead, db2: hostObs({}, { lacks: ['db3:0-1-81..100'] }) }), T0, cfg);
  assert.equal(holder(r.state, 'writer'), '');
  assert.match(r.outcome.sentence, /lacks transactions .*0-1-81\.\.100/);
});

test('forced, both checks are skipped', () => {
  const obs = observe({ db2: hostObs({}, { errant: ['0-2-229'], lacks: ['db3:0-1-5'] }) });
  const ctx = { cfg, hosts: steady(cfg).hosts, obs, assignments: steady(cfg).roles, now: T0 };
  assert.match(writerCandidateWhyNot('db2', ctx) ?? '', /errant/);
  assert.equal(writerCandidateWhyNot('db2', ctx, true), null);
});
