// Rigs are independent: two run side by side without seeing each other, destroying one leaves the other
// intact, a crashed run's leftovers are swept by the next rig of the same prefix, and a process that
// throws or is terminated takes its rig down with it. Prefixes rt2…rt6, subnets 11–15.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRig, rigLinks, rigNamespaces, rigPids } from './index.js';
import { isAlive } from './proc.js';
import { eventually } from '../lib/eventually.js';

const child = fileURLToPath(new URL('./fixtures/crash-child.js', import.meta.url));

interface Child {
  readonly proc: ReturnType<typeof spawn>;
  readonly info: { baseDir: string; pids: number[] };
}

/** Starts crash-child.js and waits for the line describing its rig. */
async function startChild(prefix: string, subnet: number, mode: 'hang' | 'throw' | 'wait'): Promise<Child> {
  const proc = spawn(process.execPath, [child, prefix, String(subnet), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  proc.stderr.on('data', (d: Buffer) => (errText += d.toString()));
  const info = await new Promise<Child['info']>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve(JSON.parse(line) as Child['info']);
    });
    proc.on('exit', (code) => reject(new Error(`crash-child exited ${String(code)} before describing its rig: ${errText}`)));
  });
  return { proc, info };
}

const nothingLeft = (prefix: string, baseDir: string, pids: readonly number[]): void => {
  assert.deepEqual(rigNamespaces(prefix), [], `${prefix} namespaces`);
  assert.deepEqual(rigLinks(prefix), [], `${prefix} links`);
  assert.deepEqual(rigPids(prefix, baseDir), [], `${prefix} processes`);
  assert.deepEqual(pids.filter(isAlive), [], `${prefix} servers`);
  assert.equal(existsSync(baseDir), false, `${prefix} base dir`);
};

void test('two rigs side by side do not see each other, and destroying one leaves the other running', async () => {
  const [a, b] = await Promise.all([
    createRig({ prefix: 'rt2', subnet: 11, hosts: 2 }),
    createRig({ prefix: 'rt3', subnet: 12, hosts: 2 }),
  ]);
  try {
    assert.notEqual(a.host('db1').serverId, b.host('db1').serverId);
    await a.sql('db1', "INSERT INTO app.writes (id, host) VALUES (1, 'rt2')");
    await a.waitReplicationIdle();
    assert.equal((await a.sql('db2', 'SELECT COUNT(*) AS n FROM app.writes'))[0]?.['n'], 1);
    assert.equal((await b.sql('db1', 'SELECT COUNT(*) AS n FROM app.writes'))[0]?.['n'], 0);
    assert.equal((await b.sql('db2', 'SELECT COUNT(*) AS n FROM app.writes'))[0]?.['n'], 0);
    // No route between rigs: nothing leaves a namespace but its own /24.
    const cross = await a.exec('db1', ['mariadb', '-h', b.host('db1').ip, '-u', 'app', '-papp-pw', '--connect-timeout=1', '-e', 'SELECT 1']);
    assert.notEqual(cross.exitCode, 0);

    const aPids = a.hosts.map((h) => h.pid()).filter((p): p is number => p !== null);
    await a.destroy();
    nothingLeft('rt2', a.baseDir, aPids);
    assert.deepEqual(rigNamespaces('rt3').sort(), ['rt3-cl', 'rt3-db1', 'rt3-db2']);
    for (const h of b.hosts) {
      const [s] = await b.sql(h.name, 'SHOW SLAVE STATUS');
      assert.equal(s?.['Slave_IO_Running'], 'Yes');
      assert.equal(s?.['Slave_SQL_Running'], 'Yes');
    }
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

void test("a crashed run's leftovers are swept by the next rig of the same prefix", async () => {
  const crashed = await startChild('rt4', 13, 'hang');
  crashed.proc.kill('SIGKILL');
  await once(crashed.proc, 'exit');
  // The crash left servers and namespaces behind.
  assert.equal(crashed.info.pids.every(isAlive), true);
  assert.equal(rigNamespaces('rt4').length, 3);
  const swept: string[] = [];
  const rig = await createRig({ prefix: 'rt4', subnet: 13, hosts: 2, log: (m) => swept.push(m) });
  try {
    assert.deepEqual(crashed.info.pids.filter(isAlive), []);
    assert.ok(swept.some((m) => m.startsWith('swept leftovers of rt4: 2 processes, 3 namespaces')), swept.join('\n'));
    assert.deepEqual(rigNamespaces('rt4').sort(), ['rt4-cl', 'rt4-db1', 'rt4-db2']);
    const [s] = await rig.sql('db2', 'SHOW SLAVE STATUS');
    assert.equal(s?.['Slave_IO_Running'], 'Yes');
  } finally {
    await rig.destroy();
  }
  nothingLeft('rt4', rig.baseDir, crashed.info.pids);
});

void test('an uncaught exception in the owning process tears its rig down', async () => {
  const c = await startChild('rt5', 14, 'throw');
  const [code] = (await once(c.proc, 'exit')) as [number | null];
  assert.notEqual(code, 0);
  await eventually(() => Promise.resolve(c.info.pids.filter(isAlive)), (alive) => alive.length === 0);
  nothingLeft('rt5', c.info.baseDir, c.info.pids);
});

void test('SIGTERM to the owning process tears its rig down, and the process still dies by the signal', async () => {
  const c = await startChild('rt6', 15, 'wait');
  assert.equal(rigNamespaces('rt6').length, 3);
  c.proc.kill('SIGTERM');
  const [code, sig] = (await once(c.proc, 'exit')) as [number | null, NodeJS.Signals | null];
  assert.equal(sig, 'SIGTERM', `exit code ${String(code)}`);
  nothingLeft('rt6', c.info.baseDir, c.info.pids);
});
