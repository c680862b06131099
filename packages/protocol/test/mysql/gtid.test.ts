import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mariaGtidCovers, parseMariaGtidList } from '../../src/mysql/index.js';

void test('parseMariaGtidList parses lists and rejects malformed text', () => {
  assert.deepEqual(parseMariaGtidList(''), []);
  assert.deepEqual(parseMariaGtidList('0-1-5, 1-2-7'), [
    { domain: 0, server: 1, seq: 5n },
    { domain: 1, server: 2, seq: 7n },
  ]);
  assert.equal(parseMariaGtidList('0-1'), null);
  assert.equal(parseMariaGtidList('0-1-x'), null);
});

void test('mariaGtidCovers compares seq_no per domain, ignoring server ids', () => {
  assert.equal(mariaGtidCovers('0-2-10', '0-1-10'), true);
  assert.equal(mariaGtidCovers('0-2-9', '0-1-10'), false);
  assert.equal(mariaGtidCovers('0-1-10', '0-1-10,1-1-1'), false);
  assert.equal(mariaGtidCovers('0-1-10,1-1-3', '1-1-2'), true);
  assert.equal(mariaGtidCovers('0-1-1', ''), true);
  assert.equal(mariaGtidCovers('', '0-1-1'), false);
  assert.equal(mariaGtidCovers('bad', '0-1-1'), null);
});
