// mmm-control's offline tools wired to their modules: import-mmm and preflight (the modules have
// their own tests; these prove the command line, the output streams and the exit codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@mmm-ts/protocol/config';
import { main } from '../../src/cli/control.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const errs: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => errs.push(s) });
  return { code, out: out.join('\n'), err: errs.join('\n') };
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-control-tools-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const MMM_COMMON = `active_master_role  writer
<host default>
    cluster_interface   eth0
    replication_user    replication
    replication_password slave
    agent_user          mmm_agent
    agent_password      RepAgent
    monitor_user        mmm_monitor
    monitor_password    RepMonitor
</host>
<host db1>
    ip      192.168.0.31
    mode    master
    peer    db2
</host>
<host db2>
    ip      192.168.0.32
    mode    master
    peer    db1
</host>
<role writer>
    hosts   db1, db2
    ips     192.168.0.50
    mode    exclusive
</role>
`;

test('import-mmm prints YAML that config-check accepts once a secret is set', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mmm_common.conf');
  writeFileSync(file, MMM_COMMON);
  const r = await run(['import-mmm', file]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^hosts:/m);
  const yaml = r.out.replace(/secret_file: .*/, 'secret: an-inline-secret-for-the-test');
  const parsed = parseConfig(yaml, join(dir, 'out.yaml'));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.map((p) => p.message).join('; '));
});

test('import-mmm reports problems as file:line and exits 2; no file is a usage error', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mmm_common.conf');
  writeFileSync(file, `${MMM_COMMON}<host db3>\n    ip 192.168.0.33\n`);
  const r = await run(['import-mmm', file]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `, 'm'));
  assert.equal((await run(['import-mmm'])).code, 2);
});

test('preflight against hosts where nothing answers: FAIL lines, exit 1, no crash', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'cluster.yaml');
  // Loopback addresses with ports nothing listens on: every connect is refused at once.
  writeFileSync(file, `cluster: pf
host_defaults: { agent_port: 1, mysql_port: 2, agent_password: a, monitor_password: m, replication_password: r }
hosts:
  db1: { ip: 127.0.0.41, mode: master, peer: db2 }
  db2: { ip: 127.0.0.42, mode: master, peer: db1 }
roles:
  writer: { mode: exclusive, hosts: [db1, db2], ips: [127.0.0.50] }
security: { secret: a-secret-for-preflight }
`);
  chmodSync(file, 0o600);
  const r = await run(['--config', file, 'preflight']);
  assert.equal(r.code, 1);
  assert.match(r.out, /FAIL/);
  assert.doesNotMatch(r.out + r.err, /at .*\.js:\d+/, 'no stack trace');
  const j = await run(['--config', file, '--json', 'preflight']);
  assert.equal(j.code, 1);
  const doc = JSON.parse(j.out) as { ok: boolean; failed: number };
  assert.equal(doc.ok, false);
  assert.ok(doc.failed > 0);
});
