import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/control.js';

const VALID = `cluster: t
host_defaults: { agent_password: a, monitor_password: m, replication_password: r }
hosts:
  db1: { ip: 10.0.0.11, mode: master, peer: db2 }
  db2: { ip: 10.0.0.12, mode: master, peer: db1 }
roles:
  writer: { mode: exclusive, hosts: [db1, db2], ips: [10.0.0.50] }
security: { secret: supersecretvalue }
`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const errs: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => errs.push(s) });
  return { code, out: out.join('\n'), err: errs.join('\n') };
}

function tempFile(t: { after: (fn: () => void) => void }, text: string, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-control-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

void test('help and --version print and exit 0', async () => {
  const help = await run(['help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: mmm-control/);
  assert.match(help.out, /config-check/);
  assert.equal((await run(['--help'])).code, 0);
  const v = await run(['--version']);
  assert.deepEqual(v, { code: 0, out: 'mmm-control 0.1.0', err: '' });
});

void test('usage errors exit 2: no command, unknown command, unknown flag', async () => {
  assert.equal((await run([])).code, 2);
  const unknown = await run(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "frobnicate"/);
  assert.equal((await run(['--bogus', 'show'])).code, 2);
});

void test('monitor commands report the monitor unreachable for now (exit 1)', async () => {
  assert.deepEqual(await run(['show']), { code: 1, out: '', err: "ERROR: Can't connect to monitor daemon!" });
});

void test('config-check of a valid file prints OK and a summary without secrets', async (t) => {
  const file = tempFile(t, VALID);
  const r = await run(['config-check', file]);
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`^OK: ${file} is valid\ncluster t: 2 host\\(s\\)`));
  assert.ok(!/supersecretvalue|\b[amr]\b,/.test(r.out));
  const viaFlag = await run(['--config', file, 'config-check']);
  assert.equal(viaFlag.code, 0);
  const json = await run(['--json', 'config-check', file]);
  const doc = JSON.parse(json.out) as { ok: boolean; file: string };
  assert.deepEqual([json.code, doc.ok, doc.file], [0, true, file]);
});

void test('config-check of a broken file lists every problem and exits 2', async (t) => {
  const file = tempFile(t, VALID.replace('10.0.0.12', '10.0.0.300').replace('cluster: t', 'cluster: t\ncolour: red'));
  const r = await run(['config-check', file]);
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.split('\n'), [
    `${file}:2:1: unknown key in the config file; known keys: cluster, active_master_role, monitor, host_defaults, hosts, roles, checks, security, agent, hooks, fencing (got "colour")`,
    `${file}:6:14: \`hosts.db2.ip\` must be an IPv4 address like 10.0.0.11 (got "10.0.0.300")`,
    `config-check: 2 problem(s) in ${file}`,
  ]);
  const json = await run(['--json', 'config-check', file]);
  const doc = JSON.parse(json.out) as { ok: boolean; problems: { code: string; line: number }[] };
  assert.equal(json.code, 2);
  assert.deepEqual(doc.problems.map((p) => `${p.line} ${p.code}`), ['2 CONFIG_UNKNOWN_KEY', '6 CONFIG_BAD_IP']);
});

void test('config-check: readable file refused, accepted with --allow-readable-config; missing file exits 2', async (t) => {
  const file = tempFile(t, VALID, 0o644);
  const refused = await run(['config-check', file]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /:2:18: config file holds passwords .*chmod 600/);
  assert.equal((await run(['--allow-readable-config', 'config-check', file])).code, 0);
  const missing = await run(['config-check', `${file}.absent`]);
  assert.deepEqual(missing, { code: 2, out: '', err: `config-check: cannot read ${file}.absent: no such file or directory` });
});
