#!/usr/bin/env node
// Lint step: no import cycles, within a package or across packages. ESLint's import plugins need a
// native resolver to follow TypeScript's `./x.js` → `./x.ts` specifiers, and its prebuilt binaries
// are not all on this project's registry, so this small checker reads the sources itself.
// `--self-test` first proves on a planted cycle that the checker does find cycles.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function sources(dir, out = []) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const n of names) {
    if (n === 'node_modules' || n === 'dist') continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Maps `@mmm-ts/x[/sub]` to the source file behind the package's export, from package.json. */
function packageEntries(root) {
  const map = new Map();
  for (const dir of ['packages/protocol', 'packages/agent', 'packages/monitor', 'test']) {
    let pkg;
    try { pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')); } catch { continue; }
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      const js = typeof target === 'string' ? target : target.default;
      const src = js.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts');
      map.set(sub === '.' ? pkg.name : `${pkg.name}/${sub.replace(/^\.\//, '')}`, resolve(root, dir, src));
    }
  }
  return map;
}

export function findCycles(root, dirs) {
  const entries = packageEntries(root);
  const files = dirs.flatMap((d) => sources(join(root, d)));
  const graph = new Map();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      // `import type` cannot create a runtime cycle; skip it.
      if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue;
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) deps.push(resolve(dirname(f), spec.replace(/\.js$/, '.ts')));
      else if (entries.has(spec)) deps.push(entries.get(spec));
    }
    graph.set(f, deps.filter((d) => d !== f));
  }
  const cycles = [];
  const state = new Map(); // 1 = on stack, 2 = done
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(root, p)));
      else if (state.get(d) !== 2) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return cycles;
}

function selfTest() {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cycles-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/a.ts'), "import { b } from './b.js';\nexport const a = 1;\n");
    writeFileSync(join(dir, 'src/b.ts'), "export { c } from './c.js';\nexport const b = 2;\n");
    writeFileSync(join(dir, 'src/c.ts'), "import './a.js';\nimport type { T } from './d.js';\nexport const c = 3;\n");
    writeFileSync(join(dir, 'src/d.ts'), "import { a } from './a.js';\nexport type T = number;\n");
    const found = findCycles(dir, ['src']);
    const ok = found.length === 1 && found[0].join(' ') === 'src/a.ts src/b.ts src/c.ts src/a.ts';
    if (!ok) { console.error(`check-cycles self-test failed: found ${JSON.stringify(found)}`); process.exit(1); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--self-test')) selfTest();
  const root = fileURLToPath(new URL('..', import.meta.url));
  const cycles = findCycles(root, ['packages/protocol/src', 'packages/agent/src', 'packages/monitor/src', 'test/rig', 'test/lib', 'test/sandbox']);
  for (const c of cycles) console.error(`import cycle: ${c.join(' -> ')}`);
  if (cycles.length > 0) process.exit(1);
}
