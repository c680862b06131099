import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_PACKAGE_CODES } from '../src/errors.js';

// dist/test/errors.test.js -> repository root docs/errors.md
const docs = readFileSync(fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url)), 'utf8');

void test('every protocol error code is documented in docs/errors.md, once, under ## Protocol', () => {
  const start = docs.indexOf('## Protocol');
  assert.ok(start >= 0);
  const next = docs.indexOf('\n## ', start + 1);
  const section = docs.slice(start, next === -1 ? undefined : next);
  for (const code of PROTOCOL_PACKAGE_CODES) {
    const rows = section.split('\n').filter((l) => l.startsWith(`| \`${code}\` |`));
    assert.equal(rows.length, 1, `${code} must have exactly one row`);
  }
  assert.equal(new Set(PROTOCOL_PACKAGE_CODES).size, PROTOCOL_PACKAGE_CODES.length, 'codes are unique');
});
