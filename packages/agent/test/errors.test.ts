import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AGENT_ERROR_CODES } from '../src/errors.js';
import { SQL_ERROR_CODES } from '@mmm-ts/protocol/mysql';
import { IP_ERROR_CODES } from '../src/ip/ip-ops.js';

void test('every agent, SQL and IP error code is documented in the Agent section of docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Agent'));
  assert.ok(doc.includes('## Agent'));
  for (const code of [...AGENT_ERROR_CODES, ...SQL_ERROR_CODES, ...IP_ERROR_CODES]) {
    assert.ok(section.includes(`| \`${code}\` |`), `${code} is missing from docs/errors.md`);
  }
});
