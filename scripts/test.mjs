#!/usr/bin/env node
// The README's test command: build, lint, then run every compiled test file with Node's built-in
// runner. Node 20's `--test` takes no globs, so the files are collected here.
// --unit: skip tests that need root and a real MariaDB rig (files under */rig/, */e2e/, *.rig.test.js).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const unitOnly = process.argv.includes('--unit');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// The rig tests need MariaDB, iproute2 and arping: install them (as root) or stop with the command to run.
if (!unitOnly) run('bash', ['scripts/ensure-system-packages.sh']);

if (!process.argv.includes('--no-build')) {
  run('npx', ['tsc', '-b']);
  run('npx', ['eslint', '.']);
  run(process.execPath, ['scripts/check-cycles.mjs', '--self-test']);
}

function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const dists = ['packages/protocol/dist', 'packages/agent/dist', 'packages/monitor/dist', 'test/dist'];
let files = dists.flatMap((d) => collect(join(root, d), []));
const needsRig = (f) => /[\\/](rig|e2e)[\\/]/.test(relative(root, f)) || f.endsWith('.rig.test.js');
if (unitOnly) files = files.filter((f) => !needsRig(f));
const filter = process.env.MMM_TEST_FILTER;
if (filter) files = files.filter((f) => f.includes(filter));
files.sort();
if (files.length === 0) { console.error('no test files found: run `npm run build` first'); process.exit(1); }
// Rig tests create namespaces and MariaDB servers: each file uses its own prefix and subnet, so two
// files may run side by side on the 2-core machines this project targets.
const concurrency = process.env.MMM_TEST_CONCURRENCY ?? '2';
run(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files.map((f) => relative(root, f))]);
