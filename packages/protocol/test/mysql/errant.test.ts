import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errantGtids, errantGtidSet, parseMysqlGtidSet } from '../../src/mysql/index.js';

test('errantGtids: a local write on a replica, ahead of every other host in its domain, is errant', () => {
  assert.deepEqual(errantGtids('0-1-228,0-3-229', ['0-1-228', '0-1-228']), ['0-3-229']);
  assert.deepEqual(errantGtids('0-3-229', ['0-1-228']), ['0-3-229']);
});

test('errantGtids: a lagging or equal host has nothing errant', () => {
  assert.deepEqual(errantGtids('0-1-200', ['0-1-228']), []);
  assert.deepEqual(errantGtids('0-1-228', ['0-1-228']), []);
  // seq explained by another host ahead in the same domain, whatever server wrote it
  assert.deepEqual(errantGtids('0-2-229', ['0-1-230']), []);
  assert.deepEqual(errantGtids('', ['0-1-5']), []);
});

test('errantGtids: a domain no other host has is errant; each domain judged on its own', () => {
  assert.deepEqual(errantGtids('0-1-10,1-2-3', ['0-1-10']), ['1-2-3']);
  assert.deepEqual(errantGtids('0-1-11,1-2-3', ['0-1-10,1-2-3', '0-1-9']), ['0-1-11']);
});

test('errantGtids: the candidate server id filter keeps only what the candidate wrote itself', () => {
  assert.deepEqual(errantGtids('0-1-12,1-3-4', ['0-1-10'], 3), ['1-3-4']);
  assert.deepEqual(errantGtids('0-1-12', ['0-1-10'], 3), []);
});

test('errantGtids: no others explains nothing; malformed lists are null', () => {
  assert.deepEqual(errantGtids('0-1-5', []), ['0-1-5']);
  assert.equal(errantGtids('0-1', ['0-1-5']), null);
  assert.equal(errantGtids('0-1-5', ['x']), null);
});

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const B = '4a2bc9d0-0000-11e1-9e33-c80aa9429562';

test('errantGtidSet subtracts the union of the others, range by range', () => {
  assert.equal(errantGtidSet(`${A}:1-10`, [`${A}:1-10`]), '');
  assert.equal(errantGtidSet(`${A}:1-10`, [`${A}:1-4`, `${A}:6-8`]), `${A}:5:9-10`);
  assert.equal(errantGtidSet(`${A}:1-10,\n${B}:1-2`, [`${A}:1-12`]), `${B}:1-2`);
  assert.equal(errantGtidSet(`${B.toUpperCase()}:3`, [`${B}:1-2`]), `${B}:3`);
  assert.equal(errantGtidSet('', [`${A}:1`]), '');
});

test('parseMysqlGtidSet merges ranges and refuses malformed sets', () => {
  assert.deepEqual([...(parseMysqlGtidSet(`${A}:1-3:4-6:9`) ?? new Map()).entries()], [[A, [[1n, 6n], [9n, 9n]]]]);
  assert.equal(parseMysqlGtidSet(`${A}`), null);
  assert.equal(parseMysqlGtidSet(`${A}:5-3`), null);
  assert.equal(parseMysqlGtidSet(`${A}:0`), null);
  assert.equal(parseMysqlGtidSet('nope:1-3'), null);
  assert.equal(errantGtidSet(`${A}:1`, ['bad']), null);
});
