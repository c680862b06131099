// `rig up` leaves a rig running after the command exits, another process can attach to it through its
// rig.json, `status` reports it and `down` removes every trace. Prefix rt7, 10.200.16.0/24.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { attachRig, defaultBaseDir, rigLinks, rigNamespaces, rigPids } from './index.js';
import { isAlive } from './proc.js';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const rigCli = (...args: string[]) => execa(process.execPath, [cli, ...args], { reject: false, timeout: 60_000 });

void test('up outlives the command, attachRig and status see it, down removes it', async () => {
  const up = await rigCli('up', '--prefix', 'rt7', '--subnet', '16', '--hosts', '2');
  try {
    assert.equal(up.exitCode, 0, up.stderr);
    assert.match(up.stdout, /db2 10\.200\.16\.12 ns rt7-db2 master peer db1/);
    const rig = attachRig('rt7');
    const pids = rig.hosts.map((h) => h.pid());
    assert.equal(pids.every((p) => p !== null && isAlive(p)), true);
    const [s] = await rig.sql('db1', 'SHOW SLAVE STATUS');
    assert.equal(s?.['Slave_SQL_Running'], 'Yes');
    assert.equal(existsSync(`${rig.baseDir}/mmm.yaml`), true);

    const status = await rigCli('status', '--prefix', 'rt7');
    assert.equal(status.exitCode, 0, status.stderr);
    assert.match(status.stdout, /db1 10\.200\.16\.11 .*read_only=0/);

    const down = await rigCli('down', '--prefix', 'rt7');
    assert.equal(down.exitCode, 0, down.stderr);
    assert.match(down.stdout, /killed 2 processes, deleted 3 namespaces/);
    assert.deepEqual(pids.filter((p) => p !== null && isAlive(p)), []);
  } finally {
    await rigCli('down', '--prefix', 'rt7');
  }
  assert.deepEqual(rigNamespaces('rt7'), []);
  assert.deepEqual(rigLinks('rt7'), []);
  assert.deepEqual(rigPids('rt7', defaultBaseDir('rt7')), []);
  assert.equal(existsSync(defaultBaseDir('rt7')), false);
  const missing = await rigCli('status', '--prefix', 'rt7');
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /RIG_NOT_FOUND/);
});
