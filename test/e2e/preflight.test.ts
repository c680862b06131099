// mmm-control preflight against a real MariaDB rig (pf1, 10.200.40.0/24): a healthy cluster has no
// FAIL; each planted misconfiguration is caught by its line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type ClusterConfig } from '@mmm-ts/protocol/config';
import { createRig, type Rig } from '../rig/index.js';
import { startAgents, type AgentProcs } from '../lib/agent-procs.js';
import { formatPreflight, runPreflight, type PreflightLine, type PreflightReport } from '@mmm-ts/monitor';

describe('preflight on a real rig', () => {
  let rig: Rig;
  let cfg: ClusterConfig;
  let agents: AgentProcs | undefined;

  const run = async (c: ClusterConfig = cfg): Promise<PreflightReport> => runPreflight(c, { timeoutMs: 1500 });
  const find = (r: PreflightReport, host: string | null, check: string): PreflightLine => {
    const l = r.lines.find((x) => x.host === host && x.check === check);
    assert.ok(l, `no ${check} line for ${host ?? 'cluster'} in\n${formatPreflight(r)}`);
    return l;
  };
  const fails = (r: PreflightReport): string[] => r.lines.filter((l) => l.status === 'FAIL').map((l) => `${l.host ?? 'cluster'} ${l.check}`);

  before(async () => {
    rig = await createRig({ prefix: 'pf1', subnet: 40 });
    const text = rig.clusterYaml();
    const parsed = parseConfig(text, `${rig.baseDir}/mmm.yaml`);
    assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.error));
    cfg = parsed.value;
    await rig.writeClusterYaml();
    // A writer, as the monitor would have made it.
    await rig.sql('db1', 'SET GLOBAL read_only=0');
  });
  after(async () => {
    await agents?.stopAll();
    await rig?.destroy();
  });

  test('without agents: each agent is a FAIL line; the fence check WARNs that the agent account cannot read grants', async () => {
    const r = await run();
    assert.deepEqual(fails(r).sort(), ['db1 agent', 'db2 agent', 'db3 agent'], formatPreflight(r));
    assert.match(find(r, 'db2', 'agent').message, /no agent listening at 10\.200\.40\.12:9989/);
    const fence = find(r, 'db1', 'read_only fence');
    assert.equal(fence.status, 'WARN');
    assert.match(fence.hint ?? '', /GRANT SELECT ON mysql\.\* TO mmm_agent/);
    assert.equal(r.failed, 3);
  });

  test('healthy rig with agents: no FAIL, and the main checks PASS', async () => {
    // What preflight documents as needed to check other accounts; replicates from db1 to every host.
    await rig.sql('db1', "GRANT SELECT ON mysql.* TO 'mmm_agent'@'%'");
    await rig.waitReplicationIdle();
    agents = await startAgents(rig, { configPath: await rig.writeClusterYaml(), secret: cfg.security.secret });
    const r = await run();
    assert.deepEqual(fails(r), [], formatPreflight(r));
    for (const h of ['db1', 'db2', 'db3']) {
      for (const c of ['agent', 'mysql', 'version', 'server_id', 'gtid', 'binlog', 'source', 'replication', 'agent grants', 'monitor grants', 'replication grants', 'read_only fence', 'read_only']) {
        assert.equal(find(r, h, c).status, 'PASS', `${h} ${c}\n${formatPreflight(r)}`);
      }
    }
    assert.match(find(r, 'db1', 'read_only fence').message, /administrators .*mmm_rig@%/);
    assert.equal(find(r, null, 'auto_increment').status, 'PASS');
    assert.equal(find(r, 'db2', 'errant gtid').status, 'PASS');
    assert.match(find(r, 'db1', 'read_only').message, /the writer/);
  });

  test('a wrong cluster secret is an authentication FAIL per agent', async () => {
    const wrong = parseConfig(rig.clusterYaml({ secret: 'not-the-secret' }), `${rig.baseDir}/wrong.yaml`);
    assert.ok(wrong.ok);
    const r = await run(wrong.value);
    const l = find(r, 'db1', 'agent');
    assert.equal(l.status, 'FAIL');
    assert.match(l.message, /did not authenticate/);
  });

  test('duplicate server_id is caught on both hosts', async () => {
    const db2Id = rig.host('db2').serverId;
    await rig.sql('db3', `SET GLOBAL server_id=${db2Id}`);
    try {
      const r = await run();
      assert.equal(find(r, 'db3', 'server_id').status, 'FAIL');
      assert.match(find(r, 'db3', 'server_id').message, new RegExp(`server_id ${db2Id} is also used by db2`));
      assert.equal(find(r, 'db2', 'server_id').status, 'FAIL');
      assert.equal(find(r, 'db1', 'server_id').status, 'PASS');
    } finally {
      await rig.sql('db3', `SET GLOBAL server_id=${rig.host('db3').serverId}`);
    }
  });

  test('replication by file/position instead of GTID is caught', async () => {
    await rig.sql('db3', 'STOP SLAVE');
    await rig.sql('db3', 'CHANGE MASTER TO master_use_gtid=no');
    await rig.sql('db3', 'START SLAVE');
    try {
      const r = await run();
      const l = find(r, 'db3', 'gtid');
      assert.equal(l.status, 'FAIL');
      assert.match(l.message, /Using_Gtid=No/);
      assert.match(l.hint ?? '', /master_use_gtid=slave_pos/);
    } finally {
      await rig.sql('db3', 'STOP SLAVE');
      await rig.sql('db3', 'CHANGE MASTER TO master_use_gtid=slave_pos');
      await rig.sql('db3', 'START SLAVE');
    }
  });

  test('gtid_strict_mode off is a WARN', async () => {
    await rig.sql('db2', 'SET GLOBAL gtid_strict_mode=0');
    try {
      const r = await run();
      assert.equal(find(r, 'db2', 'gtid').status, 'WARN');
    } finally {
      await rig.sql('db2', 'SET GLOBAL gtid_strict_mode=1');
    }
  });

  test('an application account holding READ_ONLY ADMIN is caught on every host', async () => {
    await rig.sql('db1', "GRANT READ_ONLY ADMIN ON *.* TO 'app'@'%'");
    await rig.waitReplicationIdle();
    try {
      const r = await run();
      for (const h of ['db1', 'db2', 'db3']) {
        const l = find(r, h, 'read_only fence');
        assert.equal(l.status, 'FAIL', formatPreflight(r));
        assert.match(l.message, /^app@% hold READ_ONLY ADMIN/);
        assert.doesNotMatch(l.message, /mmm_agent/);
      }
    } finally {
      await rig.sql('db1', "REVOKE READ_ONLY ADMIN ON *.* FROM 'app'@'%'");
      await rig.waitReplicationIdle();
    }
  });

  test('read_only off on a second host is caught', async () => {
    await rig.sql('db3', 'SET GLOBAL read_only=0');
    try {
      const r = await run();
      assert.equal(find(r, 'db3', 'read_only').status, 'FAIL');
      assert.match(find(r, 'db3', 'read_only').message, /also on db1/);
      assert.equal(find(r, null, 'errant gtid').status, 'WARN');
    } finally {
      await rig.sql('db3', 'SET GLOBAL read_only=1');
    }
  });

  test('missing agent grants and an unreachable server are FAIL lines, not crashes', async () => {
    await rig.sql('db1', "REVOKE CONNECTION ADMIN ON *.* FROM 'mmm_agent'@'%'");
    await rig.waitReplicationIdle();
    await rig.stopMysqld('db2');
    try {
      const r = await run();
      const g = find(r, 'db1', 'agent grants');
      assert.equal(g.status, 'FAIL');
      assert.match(g.message, /lacks CONNECTION ADMIN/);
      const m = find(r, 'db2', 'mysql');
      assert.equal(m.status, 'FAIL');
      assert.ok(!r.lines.some((l) => l.host === 'db2' && l.check === 'server_id'));
    } finally {
      await rig.contMysqld('db2');
      await rig.sql('db1', "GRANT CONNECTION ADMIN ON *.* TO 'mmm_agent'@'%'");
      await rig.waitReplicationIdle();
    }
  });

  test('a transaction written on the replica alone is an errant GTID', async () => {
    // The rig admin bypasses read_only, as an application with READ_ONLY ADMIN would.
    await rig.sql('db3', "INSERT INTO app.writes (id, host) VALUES (900001, 'db3')");
    const r = await run();
    const l = find(r, 'db3', 'errant gtid');
    assert.equal(l.status, 'WARN', formatPreflight(r));
    assert.match(l.message, new RegExp(`0-${rig.host('db3').serverId}-\\d+`));
    assert.equal(find(r, 'db2', 'errant gtid').status, 'PASS');
  });
});
