import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, loadConfig } from '../../src/config/index.js';
import { edit, VALID, where } from './fixtures.js';

/** Writes files into a fresh temp dir with the given modes; returns the dir. */
function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
function write(path: string, text: string, mode: number): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

void test('a config with passwords readable by group or others is refused unless allowed', async (t) => {
  const dir = tempDir(t);
  const file = write(join(dir, 'c.yaml'), VALID.join('\n'), 0o644);
  const r = await loadConfig(file);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(where(r.error), ['3:3 CONFIG_READABLE_FILE']);
  assert.equal(formatProblem(r.error[0] ?? assert.fail()),
    `${file}:3:3: config file holds passwords (first one here) but is readable by group or others (mode 0644); run \`chmod 600 ${file}\` or pass --allow-readable-config`);
  assert.equal((await loadConfig(file, { allowReadable: true })).ok, true);
  chmodSync(file, 0o600);
  assert.equal((await loadConfig(file)).ok, true);
  chmodSync(file, 0o640);
  assert.equal((await loadConfig(file)).ok, false);
});

void test('a config writable by group or others is refused even without inline passwords', async (t) => {
  const dir = tempDir(t);
  for (const name of ['a', 'm', 'r', 's']) write(join(dir, name), 'k\n', 0o600);
  const text = edit({ 3: '  agent_password_file: a', 4: '  monitor_password_file: m', 5: '  replication_password_file: r', 14: '  secret_file: s' });
  const file = write(join(dir, 'c.yaml'), text, 0o620);
  const r = await loadConfig(file);
  assert.ok(!r.ok);
  assert.deepEqual(where(r.error), ['1:1 CONFIG_READABLE_FILE']);
  assert.match(r.error[0]?.message ?? '', /is writable by group or others \(mode 0620\)/);
  assert.equal((await loadConfig(file, { allowReadable: true })).ok, true);
});

void test('a readable config whose secrets all live in files is accepted', async (t) => {
  const dir = tempDir(t);
  for (const [name, value] of [['a', 'pa'], ['m', 'pm'], ['r', 'pr'], ['s', 'shared']]) write(join(dir, name ?? ''), `${value}\n`, 0o600);
  const text = edit({ 3: '  agent_password_file: a', 4: '  monitor_password_file: m', 5: '  replication_password_file: r', 14: '  secret_file: s' });
  const r = await loadConfig(write(join(dir, 'c.yaml'), text, 0o644));
  assert.ok(r.ok);
  assert.equal(r.value.hosts.db2?.agentPassword, 'pa');
  assert.equal(r.value.hosts.db2?.monitorPassword, 'pm');
  assert.equal(r.value.hosts.db3?.replicationPassword, 'pr');
  assert.equal(r.value.security.secret, 'shared');
});

void test('secret files are read relative to the config directory, trailing newline trimmed', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'etc', 'keys'), { recursive: true });
  write(join(dir, 'etc', 'keys', 'secret'), 'two words\n', 0o600);
  write(join(dir, 'etc', 'keys', 'agent'), 'agent-pass\r\n', 0o600);
  const text = edit({ 9: '  db3: { ip: 10.0.0.13, mode: slave, agent_password_file: keys/agent }', 14: '  secret_file: keys/secret' });
  const file = write(join(dir, 'etc', 'c.yaml'), text, 0o600);
  const r = await loadConfig(file);
  assert.ok(r.ok);
  assert.equal(r.value.security.secret, 'two words');
  assert.equal(r.value.hosts.db3?.agentPassword, 'agent-pass');
  assert.equal(r.value.hosts.db1?.agentPassword, 'a');
});

void test('secret file problems are reported at the key: missing, readable, empty', async (t) => {
  const dir = tempDir(t);
  write(join(dir, 'open'), 'x\n', 0o644);
  write(join(dir, 'empty'), '\n', 0o600);
  const text = edit({ 3: '  agent_password_file: open', 4: '  monitor_password_file: empty', 14: '  secret_file: nowhere' });
  const file = write(join(dir, 'c.yaml'), text, 0o600);
  const r = await loadConfig(file);
  assert.ok(!r.ok);
  assert.deepEqual(where(r.error), ['3:24 CONFIG_READABLE_FILE', '4:26 CONFIG_SECRET_FILE', '14:16 CONFIG_SECRET_FILE']);
  assert.match(r.error[0]?.message ?? '', /chmod 600 .*open/);
  assert.match(r.error[1]?.message ?? '', /is empty/);
  assert.match(r.error[2]?.message ?? '', /no such file or directory/);
  const allowed = await loadConfig(file, { allowReadable: true });
  assert.ok(!allowed.ok);
  assert.deepEqual(where(allowed.error), ['4:26 CONFIG_SECRET_FILE', '14:16 CONFIG_SECRET_FILE']);
});

void test('a missing config file is one CONFIG_READ_FAILED problem, not an exception', async (t) => {
  const dir = tempDir(t);
  const r = await loadConfig(join(dir, 'absent.yaml'));
  assert.ok(!r.ok);
  assert.deepEqual(r.error.map((p) => p.code), ['CONFIG_READ_FAILED']);
  assert.match(r.error[0]?.message ?? '', /cannot read .*absent\.yaml: no such file or directory/);
  const d = await loadConfig(dir);
  assert.ok(!d.ok);
  assert.match(d.error[0]?.message ?? '', /is a directory/);
});
