import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '@mmm-ts/protocol';
import type { FailoverHookContext, FailoverHookPhase, HookRun, HookStepResult, OnlineChangeHookContext, OnlineChangeHookPhase } from '../../src/hooks/index.js';
import type { AgentTransport } from '../../src/daemon/agents.js';
import { History, type MoveRecord } from '../../src/daemon/history.js';
import { MonitorLoop } from '../../src/daemon/loop.js';
import { MoveHooks, type HookRunner } from '../../src/daemon/move-hooks.js';
import { makeConfig, steady, T0 } from '../core/fixture.js';
import { FakeChecks, healthyView, makeAgents, okAnswers } from './fakes.js';

interface Call { readonly phase: string; readonly ctx: FailoverHookContext | OnlineChangeHookContext; readonly sentBefore: number }

function run(phase: string, ok: boolean): HookRun {
  const command = phase === 'start_new' || phase === 'start' ? 'start' : phase === 'report' ? 'report' : phase === 'status_check' ? 'status' : 'stop';
  return {
    hook: phase === 'shutdown_old' ? 'shutdown_script' : phase === 'report' ? 'report_script' : phase === 'stop' || phase === 'start' ? 'master_ip_online_change_script' : 'master_ip_failover_script',
    command, path: `/hooks/${phase}`, argv: [`--command=${command}`], startedAt: new Date(T0).toISOString(), exitCode: ok ? 0 : 1,
    signal: null, timedOut: false, durationMs: 5, stdout: '', stderr: ok ? '' : 'boom', error: null, ok,
  };
}

/** A hook runner that records each call (and how many agent lines were sent before it) and fails the phases it is told to. */
class FakeRunner implements HookRunner {
  readonly calls: Call[] = [];
  readonly report = { cluster: 'c1', hosts: { db1: { ip: '10.0.0.11', mysqlPort: 3306 }, db2: { ip: '10.0.0.12', mysqlPort: 3306 } } };
  constructor(private readonly sent: () => number, public failing: readonly string[] = []) {}
  private step(phase: string, ctx: Call['ctx']): Promise<HookStepResult> {
    this.calls.push({ phase, ctx, sentBefore: this.sent() });
    const ok = !this.failing.includes(phase);
    return Promise.resolve({ runs: [run(phase, ok)], proceed: ok, code: ok ? 'HOOK_OK' : 'HOOK_FAILED_ABORT', reason: ok ? `${phase} ok` : `${phase} exited 1; aborting (on_failure)` });
  }
  failover(phase: FailoverHookPhase, ctx: FailoverHookContext): Promise<HookStepResult> { return this.step(phase, ctx); }
  onlineChange(phase: OnlineChangeHookPhase, ctx: OnlineChangeHookContext): Promise<HookStepResult> { return this.step(phase, ctx); }
}

interface Line { readonly host: string; readonly line: string }

function setup(failing: readonly string[] = [], failoverBlockMs = 3_600_000) {
  let now = T0;
  const clock = (): number => now;
  const cfg = makeConfig({}, { moveHooks: { failover: true, switchover: true }, failoverBlockMs });
  const checks = new FakeChecks();
  const down = new Set<string>();
  const sent: Line[] = [];
  const transport: AgentTransport = async (host, _ep, line) => {
    await Promise.resolve();
    if (down.has(host)) return { ok: false, error: { code: 'CONNECT_REFUSED', message: 'connection refused' } };
    sent.push({ host, line });
    return { ok: true, value: `${okAnswers(line)}|UP:1000.00` };
  };
  const agents = makeAgents(transport, clock);
  const runner = new FakeRunner(() => sent.length, failing);
  const hooks = new MoveHooks(runner, cfg, (h) => agents.record(h).reachable, silentLogger);
  const history = new History({ file: null, logger: silentLogger, gtids: () => ({ binlog: null, slave: null }) });
  const loop = new MonitorLoop({ cfg, checks, agents, logger: silentLogger, initialState: steady(cfg), now: clock, heartbeatMs: 1000, hooks, history });
  const kill = (h: string): void => {
    down.add(h);
    checks.views[h] = healthyView({ checks: { ping: 'fail', mysql: 'fail', repThreads: 'fail', repBacklog: 'fail' } });
  };
  const revive = (h: string): void => {
    down.delete(h);
    checks.views[h] = healthyView();
  };
  const ticks = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      now += 200;
      await loop.tick();
      await agents.idle();
    }
  };
  return { loop, agents, runner, sent, history, kill, revive, ticks, clock };
}

const writerTo = (sent: readonly Line[], host: string): number => sent.findIndex((x) => x.host === host && x.line.startsWith('SET_STATUS') && x.line.includes('writer('));

async function reachAll(agents: ReturnType<typeof makeAgents>): Promise<void> {
  for (const h of ['db1', 'db2', 'db3']) await agents.ping(h);
}

void test('failover: stop_old and shutdown_old run before any promotion, start_new after the promote and before the repoint; every run is in the record', async () => {
  const s = setup();
  await reachAll(s.agents);
  await s.ticks(1);
  s.kill('db1');
  await s.ticks(4);
  assert.deepEqual(s.runner.calls.map((c) => c.phase).slice(0, 3), ['stop_old', 'shutdown_old', 'start_new']);
  const [stop, , start] = s.runner.calls;
  assert.equal(stop?.ctx.origMaster, 'db1');
  assert.equal(stop?.ctx.newMaster, 'db2');
  assert.deepEqual(start?.ctx, { origMaster: 'db1', newMaster: 'db2' });
  const promote = writerTo(s.sent, 'db2');
  assert.ok(promote >= 0, 'db2 got the writer role');
  assert.ok((stop?.sentBefore ?? Infinity) <= promote, 'the stop hooks ran before the promote was sent');
  assert.ok((start?.sentBefore ?? -1) > promote, 'start_new ran after the promote');
  const repoint = s.sent.findIndex((x) => x.host === 'db3' && x.line.startsWith('SET_STATUS') && /\|db2$/.test(x.line));
  assert.ok(repoint >= 0, 'db3 was repointed to db2');
  assert.ok(repoint >= (start?.sentBefore ?? Infinity), 'db3 learnt the new master only after start_new');
  await s.loop.stop();
  const rec = s.history.last(1)[0];
  assert.ok(rec !== undefined);
  assert.equal(rec.outcome, 'promoted');
  assert.deepEqual(rec.hooks?.map((h) => `${h.hook} ${h.command}`), [
    'master_ip_failover_script stop', 'shutdown_script stop', 'master_ip_failover_script start', 'report_script report',
  ]);
  const report = s.runner.calls.find((c) => c.phase === 'report');
  assert.ok(report !== undefined && 'report' in report.ctx && report.ctx.report !== undefined);
  assert.equal(report.ctx.report.origMaster.host, 'db1');
  assert.equal(report.ctx.report.newMaster?.host, 'db2');
  assert.equal(s.loop.failoverBlock()?.kind, 'failover');
});

void test('a failing stop hook that aborts: nobody is promoted, the record says aborted, the outcome names `mmm-control ack`; ack lets the next failover run', async () => {
  const s = setup(['stop_old']);
  await reachAll(s.agents);
  await s.ticks(1);
  s.kill('db1');
  await s.ticks(5);
  assert.equal(writerTo(s.sent, 'db2'), -1, 'db2 never got the writer role');
  assert.deepEqual(s.runner.calls.map((c) => c.phase), ['stop_old', 'report'], 'shutdown_old is not run after an aborting stop_old');
  const rec: MoveRecord | undefined = s.history.last(1)[0];
  assert.equal(rec?.outcome, 'aborted');
  assert.match(rec?.sentence ?? '', /aborted by a hook \(stop_old exited 1; aborting \(on_failure\)\)/);
  assert.equal(rec?.hooks?.[0]?.ok, false);
  assert.equal(s.loop.lastOutcome().code, 'FAILOVER_BLOCKED');
  assert.equal(s.loop.lastOutcome().block, 'HOOK_ABORTED');
  assert.match(s.loop.lastOutcome().sentence, /run `mmm-control ack` to allow one/);
  assert.equal(s.loop.failoverBlock()?.kind, 'hook_abort');
  // The operator fixes the script and acknowledges: the next failover runs its hooks again and promotes.
  s.runner.calls.length = 0;
  s.runner.failing = [];
  const answer = s.loop.submit({ kind: 'ack', host: '' }, 5_000);
  await s.ticks(1);
  assert.match((await answer).reply, /^OK: Acknowledged the failover a hook aborted at /);
  await s.ticks(3);
  assert.deepEqual(s.runner.calls.map((c) => c.phase).slice(0, 3), ['stop_old', 'shutdown_old', 'start_new'], 'hooks ran for the new attempt');
  assert.equal(s.loop.state().activeMaster, 'db2');
  assert.equal(s.loop.failoverBlock()?.kind, 'failover');
  await s.loop.stop();
});

void test('a writer that fails, comes back and fails again: one failover, then FAILOVER_BLOCKED with the ack hint; ack lets the next one happen', async () => {
  const s = setup();
  await reachAll(s.agents);
  await s.ticks(1);
  s.kill('db1');
  await s.ticks(4);
  assert.equal(s.loop.state().activeMaster, 'db2');
  s.revive('db1');
  await s.ticks(2);
  const back = s.loop.submit({ kind: 'set_online', host: 'db1' }, 5_000);
  await s.ticks(1);
  assert.match((await back).reply, /^OK/);
  await s.ticks(2);
  s.kill('db2');
  await s.ticks(3);
  assert.equal(s.loop.lastOutcome().code, 'FAILOVER_BLOCKED');
  assert.equal(s.loop.lastOutcome().block, 'RECENT_FAILOVER');
  assert.match(s.loop.lastOutcome().sentence, /automatic failover blocked until .* after the failover at .*: run `mmm-control ack` to allow one/);
  assert.equal(s.loop.state().activeMaster, 'db2');
  const ack = s.loop.submit({ kind: 'ack', host: '' }, 5_000);
  await s.ticks(4);
  assert.match((await ack).reply, /^OK: Acknowledged the failover at /);
  assert.equal(s.loop.state().activeMaster, 'db1', 'after the ack the failover to db1 happened');
  await s.loop.stop();
});

void test('switchover: the online change stop runs before the release, start after the promote', async () => {
  const s = setup();
  await reachAll(s.agents);
  await s.ticks(1);
  const answer = s.loop.submit({ kind: 'move_role', role: 'writer', host: 'db2', force: false }, 10_000);
  await s.ticks(6);
  assert.match((await answer).reply, /^OK: Role 'writer' has been moved from 'db1' to 'db2'/);
  assert.deepEqual(s.runner.calls.map((c) => c.phase).slice(0, 2), ['stop', 'start']);
  const [stop, start] = s.runner.calls;
  assert.deepEqual(stop?.ctx, { origMaster: 'db1', newMaster: 'db2' });
  const release = s.sent.findIndex((x, i) => i >= (stop?.sentBefore ?? 0) && x.host === 'db1' && x.line.startsWith('SET_STATUS'));
  assert.ok(release >= (stop?.sentBefore ?? Infinity), 'the release came after the stop hook');
  assert.ok((start?.sentBefore ?? -1) > writerTo(s.sent, 'db2'), 'start ran after the promote');
  assert.equal(s.loop.failoverBlock(), null, 'a planned move starts no block');
  await s.loop.stop();
});

void test('a failing online change stop cancels the switchover: the writer stays on db1', async () => {
  const s = setup(['stop']);
  await reachAll(s.agents);
  await s.ticks(1);
  const answer = s.loop.submit({ kind: 'move_role', role: 'writer', host: 'db2', force: false }, 10_000);
  await s.ticks(4);
  const a = await answer;
  assert.equal(a.ok, false);
  assert.match(a.reply, /Hook failed: stop exited 1/);
  assert.equal(writerTo(s.sent, 'db2'), -1);
  assert.equal(s.loop.state().activeMaster, 'db1');
  await s.loop.stop();
});
