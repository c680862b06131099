import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/core/decide.js';
import { ackFailoverBlock, activeBlock, blockAfterEvents } from '../../src/core/block.js';
import { formatStatusFile, parseStatusFile, parseStatusFileBlock } from '../../src/core/status-file.js';
import type { FailoverBlock, HostObs, Observations } from '../../src/core/types.js';
import { T0, holder, hostObs, makeConfig, observe, steady } from './fixture.js';

const HOUR = 3_600_000;
const cfg = makeConfig();
const dead: HostObs = hostObs({ ping: 'fail', mysql: 'fail' }, { agent: { reachable: false, lastError: 'connect refused' } });
const recent: FailoverBlock = { kind: 'failover', at: T0 - 60_000 };

test('a dead writer while a recent failover blocks: FAILOVER_BLOCKED naming `mmm-control ack`, nobody promoted', () => {
  const r = decide(steady(cfg), observe({ db1: dead }, { failoverBlock: recent }), T0, cfg);
  assert.equal(r.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(r.outcome.block, 'RECENT_FAILOVER');
  assert.equal(r.outcome.detection, 'WRITER_DEAD');
  const until = new Date(recent.at + HOUR).toISOString();
  const at = new Date(recent.at).toISOString();
  assert.ok(r.outcome.sentence.includes(`automatic failover blocked until ${until} after the failover at ${at}: run \`mmm-control ack\` to allow one`), r.outcome.sentence);
  assert.equal(holder(r.state, 'writer'), '');
  assert.equal(r.state.failover, null);
  assert.equal(r.commands.some((c) => c.purpose === 'promote'), false);
  // Still blocked on the next tick (the role was already orphaned), then the block runs out.
  const r2 = decide(r.state, observe({ db1: dead }, { failoverBlock: recent }), T0 + 200, cfg);
  assert.equal(r2.outcome.block, 'RECENT_FAILOVER');
  const later = recent.at + HOUR;
  const r3 = decide(r2.state, observe({ db1: dead }, { failoverBlock: recent }), later, cfg);
  assert.equal(r3.outcome.code, 'WRITER_PROMOTED');
  assert.equal(holder(r3.state, 'writer'), 'db2');
});

test('failover_block 0 never blocks; a hook-abort block holds until acknowledged', () => {
  const off = makeConfig({}, { failoverBlockMs: 0 });
  assert.equal(decide(steady(off), observe({ db1: dead }, { failoverBlock: recent }), T0, off).outcome.code, 'WRITER_PROMOTED');
  const aborted: FailoverBlock = { kind: 'hook_abort', at: T0 - 10 * HOUR };
  const r = decide(steady(cfg), observe({ db1: dead }, { failoverBlock: aborted }), T0, cfg);
  assert.equal(r.outcome.block, 'HOOK_ABORTED');
  assert.match(r.outcome.sentence, /failover a hook aborted at .*: run `mmm-control ack` to allow one/);
  assert.equal(activeBlock(aborted, T0 + 100 * HOUR, cfg), aborted);
});

test('a planned move_role and a set_offline of the writer are never blocked', () => {
  const obs: Observations = observe({}, {
    failoverBlock: recent,
    intents: [{ id: 'i1', kind: 'move_role', role: 'writer', host: 'db2', force: false }],
  });
  const r = decide(steady(cfg), obs, T0, cfg);
  assert.notEqual(r.outcome.code, 'FAILOVER_BLOCKED');
  assert.ok(r.state.failover !== null && r.state.failover.kind === 'switchover');
  const off = decide(steady(cfg), observe({}, { failoverBlock: recent, intents: [{ id: 'i2', kind: 'set_offline', host: 'db1' }] }), T0, cfg);
  assert.notEqual(off.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(off.outcome.detection, 'WRITER_ADMIN_OFFLINE');
});

test('the block starts when an automatic failover is promoted, not after a switchover or a set_offline; it expires', () => {
  const r = decide(steady(cfg), observe({ db1: dead }), T0, cfg);
  assert.equal(r.outcome.code, 'WRITER_PROMOTED');
  assert.deepEqual(blockAfterEvents(null, r.events, r.outcome, T0, cfg), { kind: 'failover', at: T0 });
  const sw = [{ event: 'failover.step' as const, id: 'switchover-1-db1-db2', step: 'promoted', detail: 'db2' }];
  assert.equal(blockAfterEvents(null, sw, { code: 'WRITER_PROMOTED', sentence: '' }, T0, cfg), null);
  const admin = [{ event: 'failover.step' as const, id: 'failover-1-db1-db2', step: 'promoted', detail: 'db2' }];
  assert.equal(blockAfterEvents(null, admin, { code: 'WRITER_PROMOTED', sentence: '', detection: 'WRITER_ADMIN_OFFLINE' }, T0, cfg), null);
  assert.equal(blockAfterEvents(recent, [], { code: 'NO_ACTION', sentence: '' }, recent.at + HOUR, cfg), null);
  assert.equal(blockAfterEvents(null, r.events, r.outcome, T0, makeConfig({}, { failoverBlockMs: 0 })), null);
});

test('mmm-control ack lifts the block and says what it acknowledged', () => {
  const a = ackFailoverBlock(recent, T0, cfg);
  assert.equal(a.block, null);
  assert.equal(a.reply, `OK: Acknowledged the failover at ${new Date(recent.at).toISOString()}: the next automatic failover may run.`);
  assert.equal(ackFailoverBlock(null, T0, cfg).reply, 'OK: No automatic failover is blocked; nothing to acknowledge.');
});

test('status file: the block is one extra host-shaped line that the host parser skips and older parsers read as an unknown host', () => {
  const text = formatStatusFile(steady(cfg), cfg, { kind: 'failover', at: 1763700000000 });
  const last = text.trimEnd().split('\n').at(-1) ?? '';
  assert.equal(last, '@failover_block|UNKNOWN|failover(1763700000000)');
  // MMM's line shape (host|STATE|role(ip)): what the parser of older files requires of every line.
  assert.match(last, /^[^|]+\|UNKNOWN\|[A-Za-z0-9_][A-Za-z0-9_.-]*\([0-9A-Fa-f:.]+\)$/);
  const p = parseStatusFile(text);
  assert.ok(p.ok);
  assert.deepEqual(Object.keys(p.value).sort(), ['db1', 'db2', 'db3']);
  assert.deepEqual(parseStatusFileBlock(text), { kind: 'failover', at: 1763700000000 });
  assert.deepEqual(parseStatusFileBlock(formatStatusFile(steady(cfg), cfg, { kind: 'hook_abort', at: 5 })), { kind: 'hook_abort', at: 5 });
  assert.equal(parseStatusFileBlock(formatStatusFile(steady(cfg), cfg)), null);
  assert.equal(formatStatusFile(steady(cfg), cfg), formatStatusFile(steady(cfg), cfg, null));
});

const hooked = makeConfig({}, { moveHooks: { failover: true, switchover: true } });

test('hooks configured: a failover waits for the stop hooks (AWAITING_HOOKS) and promotes once they allow it', () => {
  const r1 = decide(steady(hooked), observe({ db1: dead }), T0, hooked);
  assert.equal(r1.outcome.code, 'FAILOVER_STARTED');
  assert.equal(r1.outcome.block, 'AWAITING_HOOKS');
  assert.equal(r1.commands.some((c) => c.purpose === 'promote'), false);
  const f = r1.state.failover;
  assert.ok(f !== null);
  // A verdict for another move does not count.
  const r2 = decide(r1.state, observe({ db1: dead }, { moveHooks: { id: 'failover-0-x-y', status: 'proceed', reason: '' } }), T0 + 100, hooked);
  assert.equal(r2.outcome.block, 'AWAITING_HOOKS');
  const r3 = decide(r2.state, observe({ db1: dead }, { moveHooks: { id: f.id, status: 'proceed', reason: 'ok' } }), T0 + 200, hooked);
  assert.equal(r3.outcome.code, 'WRITER_PROMOTED');
  assert.equal(holder(r3.state, 'writer'), 'db2');
});

test('a stop hook that aborts: the failover ends, nobody is promoted, the outcome names the hook and `mmm-control ack`', () => {
  const r1 = decide(steady(hooked), observe({ db1: dead }), T0, hooked);
  const f = r1.state.failover;
  assert.ok(f !== null);
  const why = 'master_ip_failover_script --command=stop exited 1; aborting (on_failure)';
  const r2 = decide(r1.state, observe({ db1: dead }, { moveHooks: { id: f.id, status: 'abort', reason: why } }), T0 + 100, hooked);
  assert.equal(r2.outcome.code, 'FAILOVER_BLOCKED');
  assert.equal(r2.outcome.block, 'HOOK_ABORTED');
  assert.ok(r2.outcome.sentence.includes(why));
  assert.match(r2.outcome.sentence, /mmm-control ack/);
  assert.equal(r2.state.failover, null);
  assert.equal(holder(r2.state, 'writer'), '');
  assert.ok(r2.events.some((e) => e.event === 'failover.step' && e.step === 'aborted' && e.id === f.id));
  assert.equal(r2.commands.some((c) => c.purpose === 'promote'), false);
});
