#!/usr/bin/env node
// Entry point of `npm run sandbox [-- up|down]`: builds the project if needed, then runs the sandbox
// (test/sandbox/sandbox.ts, compiled to test/dist/sandbox/sandbox.js).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = new URL('../test/dist/sandbox/sandbox.js', import.meta.url);
// tsc -b is incremental: a no-op when nothing changed, so the sandbox never runs stale code.
// `down` must work even when the tree does not build, so it uses what is built.
const isDown = process.argv[2] === 'down';
if (!isDown || !existsSync(fileURLToPath(built))) {
  process.stdout.write('==> building (npx tsc -b)\n');
  const r = spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { main } = await import(built.href);
await main(process.argv.slice(2));
