#!/usr/bin/env node
// `npm run bench`: checks it runs as root with the rig's system packages, builds the tree, then runs
// the benchmark (test/lib/bench/main.ts). Flags are passed through: --runs N, --only …, --quick,
// --scale 100,300, --out FILE. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run bench -- [--runs N] [--only kill,hang,linkdown,switchover,steady,scale] [--quick] [--scale 100,300] [--out FILE]');
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error('npm run bench builds network namespaces and MariaDB servers: run it as root.');
  process.exit(2);
}
run('bash', ['scripts/ensure-system-packages.sh']);
if (!args.includes('--no-build')) run('npx', ['tsc', '-b']);
run(process.execPath, ['test/dist/lib/bench/main.js', ...args.filter((a) => a !== '--no-build')]);
