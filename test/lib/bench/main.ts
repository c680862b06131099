// `npm run bench` (scripts/bench.mjs builds, then runs this): the fault benchmarks, the steady-state
// cost and the monitor at scale, printed as tables and written to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FaultKind } from '../scenario.js';
import { benchFault, type FaultBench } from './faults.js';
import { benchSteady, type SteadyResult } from './steady.js';
import { benchScale, type ScaleResult } from './scale.js';
import { describeMachine, faultTable, MMM_REFERENCE, scaleTable, steadyTable, TARGETS } from './report.js';

const FAULTS: readonly FaultKind[] = ['kill', 'hang', 'linkdown', 'switchover'];
const PARTS = [...FAULTS, 'steady', 'scale'] as const;
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const USAGE = `usage: npm run bench -- [--runs N] [--only ${PARTS.join(',')}] [--quick] [--scale 100,300] [--out FILE]`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: {
      runs: { type: 'string' }, only: { type: 'string' }, quick: { type: 'boolean', default: false },
      scale: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    }, strict: true });
  } catch (e) { fail(e instanceof Error ? e.message : String(e)); }
  const v = args.values;
  if (v.help === true) { process.stdout.write(`${USAGE}\n`); return; }
  const quick = v.quick === true;
  const runs = v.runs !== undefined ? Number(v.runs) : quick ? 2 : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) fail(`--runs must be an integer 1–50, got ${String(v.runs)}`);
  const only = v.only !== undefined ? v.only.split(',').map((s) => s.trim()).filter((s) => s !== '') : [...PARTS];
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) fail(`--only: unknown part(s) ${unknown.join(', ')}`);
  const scaleSizes = (v.scale ?? '100,300').split(',').map(Number);
  if (scaleSizes.some((n) => !Number.isInteger(n) || n < 3 || n > 1000)) fail('--scale takes host counts 3–1000');
  const out = resolve(v.out ?? `${ROOT}bench/results/latest.json`);
  if (process.getuid?.() !== 0) fail('the benchmark builds network namespaces: run it as root');

  const log = (line: string): void => { process.stdout.write(`${line}\n`); };
  const started = Date.now();
  const settings = {
    runs, quick, only, scaleSizes,
    recoveryTimeoutMs: 20_000,
    steady: { settleMs: 3_000, windowMs: quick ? 5_000 : 10_000 },
    scale: { settleMs: quick ? 5_000 : 10_000, windowMs: quick ? 10_000 : 20_000 },
    faultChecks: 'the config defaults (ping/mysql every 250 ms, replication every 500 ms, trap 1 s, timeout 400 ms; fencing defaults)',
  };
  const faults: FaultBench[] = [];
  for (const f of FAULTS) {
    if (!only.includes(f)) continue;
    log(`${f}: ${runs} run(s), a fresh 3-host cluster each`);
    faults.push(await benchFault(f, { runs, prefix: 'bn1', subnet: 60, recoveryTimeoutMs: settings.recoveryTimeoutMs, runTimeoutMs: 120_000, log }));
  }
  let steady: SteadyResult | null = null;
  if (only.includes('steady')) {
    log('steady state: a 3-host cluster, idle then with a write client');
    steady = await benchSteady({ prefix: 'bn2', subnet: 61, ...settings.steady, log });
  }
  const scale: ScaleResult[] = [];
  if (only.includes('scale')) {
    for (const n of scaleSizes) {
      log(`scale: the monitor with ${n} simulated hosts, checks every 1 s`);
      scale.push(await benchScale(n, { ...settings.scale, log }));
    }
  }
  const result = {
    schema: 1,
    date: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: describeMachine(),
    settings,
    targets: TARGETS,
    mmmReference: MMM_REFERENCE,
    faults: Object.fromEntries(faults.map((f) => [f.fault, { summary: f.summary, runs: f.runs }])),
    steady,
    scale,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log('');
  if (faults.length > 0) log(`${faultTable(faults)}\n`);
  if (steady !== null) log(`${steadyTable(steady)}\n`);
  if (scale.length > 0) log(`${scaleTable(scale)}\n`);
  log(`wrote ${out} (${result.durationS} s)`);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
