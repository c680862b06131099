// The agent as deployed: real mmm-agent processes in the rig's namespaces, driven over TCP with raw
// MMM v1 lines (compat mode) and authenticated frames, against real MariaDB servers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import { sendRequest, signRequest } from '@mmm-ts/protocol';
import { createRig, type Rig } from '../rig/index.js';
import { startAgents, type AgentProcs } from '../lib/agent-procs.js';
import { startWriteClient } from '../lib/write-client.js';
import { eventually } from '../lib/eventually.js';

const INJECTED = '/tmp/mmm-ts-injected-ap1';

/** Sends raw bytes on one connection and returns the first reply line. */
function raw(ip: string, data: Buffer | string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: ip, port: 9989 });
    let buf = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no reply within ${timeoutMs} ms (got ${JSON.stringify(buf)})`)); }, timeoutMs);
    s.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) { clearTimeout(timer); s.destroy(); resolve(buf.slice(0, nl)); }
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.write(data);
  });
}

const stripUp = (line: string): string => line.replace(/\|UP:[0-9.]+$/, '');

describe('mmm-agent over the wire (MMM v1 compatibility mode)', () => {
  let rig: Rig;
  let agents: AgentProcs;
  const ip = (h: string): string => rig.host(h).ip;
  const send = async (h: string, line: string): Promise<string> => stripUp(await raw(ip(h), `${line}\n`, 40_000));

  before(async () => {
    rmSync(INJECTED, { force: true });
    rig = await createRig({ prefix: 'ap1', subnet: 21 });
    const configPath = await rig.writeClusterYaml({ secret: null });
    agents = await startAgents(rig, { configPath, secret: null });
  });
  after(async () => {
    await agents?.stopAll();
    await rig?.destroy();
  });

  test('answers MMM replies byte for byte', async () => {
    assert.match(await raw(ip('db1'), 'PING|1|db1\n'), /^OK: Pinged!\|UP:\d+\.\d\d$/);
    assert.equal(await send('db1', 'PING|1|db2'), "ERROR: Invalid hostname in command (db2)! My name is 'db1'");
    assert.equal(await send('db1', 'FOO|1|db1'), "ERROR: Invalid command 'FOO'!");
    assert.equal(await send('db1', 'ping|1|db1'), "ERROR: Invalid command 'ping'!");
    assert.equal(await send('db1', 'PING|1'), "ERROR: Invalid command 'PING|1'!");
    assert.equal(await send('db1', 'PING|1|db1|extra'), 'OK: Pinged!');
    assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), 'OK: Returning status!|UNKNOWN||');
    assert.equal(await send('db2', 'GET_SYSTEM_STATUS|1|db2'), `OK: Returning status!|||${ip('db1')}`);
    assert.equal(await send('db3', 'CLEAR_BAD_ROLES|1|db3'), 'OK: Removed 0 roles');
  });

  test('hostile input gets an ERROR line, runs nothing, and the agent keeps serving', async () => {
    const v = rig.writerVip;
    const hostile = [
      `SET_STATUS|1|db1|ONLINE|writer(1.2.3.4;touch ${INJECTED})|db1`,
      `SET_STATUS|1|db1|ONLINE|writer($(touch ${INJECTED}))|db1`,
      'SET_STATUS|1|db1|ONLINE|writer(10.9.9.9)|db1',
      `SET_STATUS|1|db1|ONLINE|nosuchrole(${v})|db1`,
      `SET_STATUS|1|db3|ONLINE|writer(${v})|db1`,
      'SET_STATUS|1|db1|EXPLODED||db1',
      'SET_STATUS|1|db1|ONLINE||nosuchhost',
      'SET_STATUS|1|db1',
      'PING|x|db1',
      'PING||db1',
    ];
    for (const line of hostile) {
      const host = line.split('|')[2] ?? 'db1';
      const reply = await send(host === 'db3' ? 'db3' : 'db1', line);
      assert.match(reply, /^ERROR: /, `${line} -> ${reply}`);
    }
    assert.match(await raw(ip('db1'), Buffer.concat([Buffer.alloc(1 << 20, 0x41), Buffer.from('\n')])), /^ERROR: /);
    assert.match(await raw(ip('db1'), Buffer.from([0xff, 0xfe, 0x00, 0x7c, 0xc3, 0x28, 0x0a])), /^ERROR: /);
    assert.match(await raw(ip('db1'), '\n'), /^ERROR: Invalid command ''!/);
    assert.equal(existsSync(INJECTED), false, 'nothing from the wire was executed');
    assert.equal(await send('db1', 'PING|1|db1'), 'OK: Pinged!');
    assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), 'OK: Returning status!|UNKNOWN||', 'no role was taken');
    assert.equal(await rig.hasVip('db1', '10.9.9.9'), false);
  });

  test('an idle client does not block other clients', async () => {
    const idle = net.connect({ host: ip('db2'), port: 9989 });
    await new Promise((r) => idle.once('connect', r));
    try {
      assert.equal(await send('db2', 'PING|1|db2'), 'OK: Pinged!');
    } finally {
      idle.destroy();
    }
  });

  test('a writer move db1 -> db2 by raw SET_STATUS under writes: no acknowledged write lost, db3 repointed by GTID', async () => {
    const [r1, r2, r3] = rig.readerVips;
    const w = rig.writerVip;
    assert.equal(await send('db1', `SET_STATUS|1|db1|ONLINE|reader(${r1}),writer(${w})|db1`), 'OK: Status applied successfully!');
    assert.equal(await send('db2', `SET_STATUS|1|db2|ONLINE|reader(${r2})|db1`), 'OK: Status applied successfully!');
    assert.equal(await send('db3', `SET_STATUS|1|db3|ONLINE|reader(${r3})|db1`), 'OK: Status applied successfully!');
    assert.equal(await rig.hasVip('db1', w), true);

    const client = startWriteClient(rig, { intervalMs: 20, startId: 1000 });
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= 10, { timeoutMs: 10_000 });
    // The move exactly as the monitor sends it: release the old writer, repoint replicas, promote.
    assert.equal(await send('db1', `SET_STATUS|1|db1|ONLINE|reader(${r1})|db2`), 'OK: Status applied successfully!');
    assert.equal(await send('db3', `SET_STATUS|1|db3|ONLINE|reader(${r3})|db2`), 'OK: Status applied successfully!');
    assert.equal(await send('db2', `SET_STATUS|1|db2|ONLINE|reader(${r2}),writer(${w})|db2`), 'OK: Status applied successfully!');
    const ackedBefore = client.acked().length;
    await eventually(() => Promise.resolve(client.acked().length), (n) => n >= ackedBefore + 10, { timeoutMs: 10_000 });
    await client.stop();

    assert.equal(await rig.hasVip('db1', w), false);
    assert.equal(await rig.hasVip('db2', w), true);
    const ro = async (h: string): Promise<string> => String((await rig.sql(h, 'SELECT @@read_only AS ro'))[0]?.['ro']);
    assert.equal(await ro('db1'), '1');
    assert.equal(await ro('db2'), '0');
    await rig.waitReplicationIdle(10_000);
    const st = (await rig.sql('db3', 'SHOW SLAVE STATUS'))[0];
    assert.equal(st?.['Master_Host'], ip('db2'));
    assert.equal(st?.['Using_Gtid'], 'Slave_Pos');
    const acked = client.acked();
    const lastServer = client.records.filter((r) => r.ok).at(-1)?.serverId;
    assert.equal(lastServer, rig.host('db2').serverId, 'writes after the move land on db2');
    for (const h of ['db1', 'db2', 'db3']) {
      const rows = await rig.sql(h, 'SELECT id FROM app.writes WHERE id >= 1000 ORDER BY id');
      const ids = new Set(rows.map((r) => Number(r['id'])));
      const missing = acked.filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], `${h} lost acknowledged writes`);
      assert.equal(rows.length, ids.size, `${h} has duplicated rows`);
    }
    const sums = await Promise.all(['db1', 'db2', 'db3'].map(async (h) => String((await rig.sql(h, 'CHECKSUM TABLE app.writes'))[0]?.['Checksum'])));
    assert.equal(new Set(sums).size, 1, `checksums differ: ${sums.join(' ')}`);
    assert.equal(await send('db3', 'GET_AGENT_STATUS|1|db3'), `OK: Returning status!|ONLINE|reader(${r3})|db2`);
  });

  test("MMM's one-liner: SET_STATUS|1|db2|ONLINE|writer(<vip>)|db2 has MMM's effect and reply", async () => {
    const w = rig.writerVip;
    assert.equal(await send('db2', `SET_STATUS|1|db2|ONLINE|writer(${w})|db2`), 'OK: Status applied successfully!');
    assert.equal(await rig.hasVip('db2', w), true);
    assert.equal(await rig.hasVip('db2', rig.readerVips[1] ?? ''), false, 'the reader role not given was removed');
    assert.equal(String((await rig.sql('db2', 'SELECT @@read_only AS ro'))[0]?.['ro']), '0');
  });

  test('sync_with_master refuses the writer while the SQL thread is stopped', async () => {
    const w = rig.writerVip;
    assert.equal(await send('db2', 'SET_STATUS|1|db2|ONLINE||db2'), 'OK: Status applied successfully!');
    await rig.sql('db1', 'STOP SLAVE SQL_THREAD');
    try {
      const reply = await send('db1', `SET_STATUS|1|db1|ONLINE|writer(${w})|db1`);
      assert.match(reply, /^ERROR: sync_with_master/);
      assert.equal(await rig.hasVip('db1', w), false, 'the writer VIP was not taken');
      assert.equal(String((await rig.sql('db1', 'SELECT @@read_only AS ro'))[0]?.['ro']), '1', 'writes were not opened');
      assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), 'OK: Returning status!|ONLINE||');
    } finally {
      await rig.sql('db1', 'START SLAVE SQL_THREAD');
    }
  });

  test('a restarted agent adopts the role IPs on its interface; the next SET_STATUS removes those not given', async () => {
    const r1 = rig.readerVips[0] ?? '';
    await rig.addVip('db1', r1);
    await agents.stop('db1');
    await agents.start('db1');
    assert.equal(await send('db1', 'GET_AGENT_STATUS|1|db1'), `OK: Returning status!|UNKNOWN|reader(${r1})|`);
    assert.equal(await send('db1', 'SET_STATUS|1|db1|ONLINE||db2'), 'OK: Status applied successfully!');
    assert.equal(await rig.hasVip('db1', r1), false);
  });
});

describe('mmm-agent in authenticated mode (the default)', () => {
  let rig: Rig;
  let agents: AgentProcs;
  const secret = 'auth-test-secret';

  before(async () => {
    rig = await createRig({ prefix: 'ap2', subnet: 22, hosts: 2 });
    const configPath = await rig.writeClusterYaml({ secret });
    agents = await startAgents(rig, { configPath, secret });
  });
  after(async () => {
    await agents?.stopAll();
    await rig?.destroy();
  });

  test('refuses plain lines, bad MACs, a wrong secret and replays; answers signed requests', async () => {
    const ip = rig.host('db1').ip;
    assert.equal(await raw(ip, 'PING|1|db1\n'), 'ERROR: authentication failed');
    const good = signRequest(secret, 'PING|1|db1', Date.now());
    assert.match(await raw(ip, `${good.line}\n`), /^MMMA1 /);
    assert.equal(await raw(ip, `${good.line}\n`), 'ERROR: authentication failed', 'an immediate replay is refused');
    const forged = signRequest('not-the-secret', 'PING|1|db1', Date.now());
    assert.equal(await raw(ip, `${forged.line}\n`), 'ERROR: authentication failed');
    const tampered = signRequest(secret, 'PING|1|db1', Date.now()).line.replace('PING|1|db1', 'PING|1|db2');
    assert.equal(await raw(ip, `${tampered}\n`), 'ERROR: authentication failed');
    const stale = signRequest(secret, 'PING|1|db1', Date.now() - 10 * 60_000);
    assert.equal(await raw(ip, `${stale.line}\n`), 'ERROR: authentication failed');
    const r = await sendRequest({ host: ip, port: 9989, secret, connectTimeoutMs: 500, readTimeoutMs: 2000 }, 'GET_AGENT_STATUS|1|db1');
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.match(r.value, /^OK: Returning status!\|UNKNOWN\|\|\|UP:/);
    const wrong = await sendRequest({ host: ip, port: 9989, secret: 'other', connectTimeoutMs: 500, readTimeoutMs: 2000 }, 'PING|1|db1');
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'AUTH_FAILED');
  });
});
