import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IMPORT_PROBLEM_CODES } from '../../src/import-mmm/index.js';

// dist/test/import-mmm/errors-doc.test.js -> repository root docs/errors.md
const docs = readFileSync(fileURLToPath(new URL('../../../../../docs/errors.md', import.meta.url)), 'utf8');

test('every import problem code has exactly one row under ## Import in docs/errors.md, and no row is stale', () => {
  const start = docs.indexOf('\n## Import ');
  assert.ok(start >= 0, 'docs/errors.md has an ## Import section');
  const next = docs.indexOf('\n## ', start + 1);
  const rows = docs.slice(start, next === -1 ? undefined : next).split('\n').filter((l) => l.startsWith('| `IMPORT_'));
  for (const code of IMPORT_PROBLEM_CODES) {
    assert.equal(rows.filter((l) => l.startsWith(`| \`${code}\` |`)).length, 1, `${code} must have exactly one row`);
  }
  const documented = rows.map((l) => /^\| `([A-Z_]+)`/.exec(l)?.[1]);
  assert.deepEqual(documented.filter((c) => !(IMPORT_PROBLEM_CODES as readonly (string | undefined)[]).includes(c)), []);
});
