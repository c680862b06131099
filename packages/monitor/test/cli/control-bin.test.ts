// Runs the real launcher (packages/monitor/bin/mmm-control.js) as an operator would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/mmm-control.js', import.meta.url));

function control(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BROKEN = `cluster: t
monitor: { port: 0, flap_duration: 5x }
host_defaults: { agent_password: a, monitor_password: m, replication_password: r }
hosts:
  db1: { ip: 10.0.0.11, mode: master, peer: db3 }
  db2: { ip: abc, mode: primary }
roles:
  writer: { mode: exclusive, hosts: [db1, db9], ips: [10.0.0.11] }
`;

void test('mmm-control config-check: exit 2, every problem line is file:line:col:, then the count', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-control-bin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, BROKEN);
  chmodSync(file, 0o600);
  const r = control(['config-check', file]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  const last = lines.pop();
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of lines) assert.match(line, new RegExp(`^${escaped}:\\d+:\\d+: `));
  assert.equal(last, `config-check: ${lines.length} problem(s) in ${file}`);
  assert.deepEqual(lines.map((l) => l.slice(file.length + 1).split(':').slice(0, 2).join(':')), [
    '1:1', // no security section: a secret is required
    '2:18', '2:36', '5:45', '6:14', '6:25', '8:43', '8:55',
  ]);
  assert.ok(!r.stderr.includes('    at '), 'no stack trace');
});

void test('mmm-control config-check: a valid file exits 0; a missing one exits 2 without a stack trace', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-control-bin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'ok.yaml');
  writeFileSync(file, BROKEN.replace('port: 0, flap_duration: 5x', 'port: 9988').replace('peer: db3', 'peer: db2')
    .replace('ip: abc, mode: primary', 'ip: 10.0.0.12, mode: master, peer: db1').replace('db9], ips: [10.0.0.11', 'db2], ips: [10.0.0.50') + 'security: { mmm_v1_compat: true }\n');
  chmodSync(file, 0o600);
  const ok = control(['config-check', file]);
  assert.equal(ok.stderr, '');
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /^OK: .* is valid\n/);
  const missing = control(['config-check', join(dir, 'absent.yaml')]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `config-check: cannot read ${join(dir, 'absent.yaml')}: no such file or directory\n`);
});
