import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@mmm-ts/protocol/config';
import { formatImportProblem, importMmm } from '../../src/import-mmm/index.js';

// The sample of reference §5, as mmm_common.conf.
const COMMON = `active_master_role  writer
<host default>
    cluster_interface   eth0
    replication_user    replication
    replication_password slave
    agent_user          mmm_agent
    agent_password      RepAgent
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
<host db3>
    ip      192.168.0.33
    mode    slave
</host>
<role writer>
    hosts   db1, db2
    ips     192.168.0.50
    mode    exclusive
</role>
<role reader>
    hosts   db1, db2, db3
    ips     192.168.0.51, 192.168.0.52, 192.168.0.53
    mode    balanced
</role>
`;

const MON = `include mmm_common.conf

# the monitor
<monitor>
    ip                  127.0.0.1
    pid_path            /var/run/mysql-mmm/mmm_mond.pid
    bin_path            /usr/libexec/mysql-mmm
    status_path         /var/lib/mysql-mmm/mmm_mond.status
    ping_ips            192.168.0.1, 192.168.0.2
    ping_interval       1
    auto_set_online     60
    careful_startup     no
    flap_duration       3600
    kill_host_bin       /usr/local/bin/kill_host
</monitor>

<host default>
    monitor_user        mmm_monitor
    monitor_password    "mon pw, with # and: colon"
</host>

<check default>
    check_period        2
    trap_period         4
    timeout             1
</check>
<check rep_backlog>
    max_backlog         30
</check>

<socket>
    type                ssl
    cert_file           /etc/mmm/cert.pem
    key_file            /etc/mmm/key.pem
</socket>

debug 0
`;

const AGENT = `include mmm_common.conf
this db1
max_kill_retries 5
`;

const files: Record<string, string> = {
  '/etc/mysql-mmm/mmm_common.conf': COMMON,
  '/etc/mysql-mmm/mmm_mon.conf': MON,
  '/etc/mysql-mmm/mmm_agent.conf': AGENT,
};
const readFile = (path: string): string => {
  const t = files[path];
  if (t === undefined) throw new Error(`ENOENT: no such file ${path}`);
  return t;
};

function imported(list: string[], extra: Record<string, string> = {}): { yaml: string; warnings: string[] } {
  const r = importMmm(list, { readFile: (p) => extra[p] ?? readFile(p) });
  assert.ok(r.ok, r.ok ? '' : r.error.map(formatImportProblem).join('\n'));
  return r.value;
}

test('the MMM sample with mmm_mon.conf and mmm_agent.conf becomes YAML the config loader accepts once a secret is set', () => {
  const { yaml } = imported(['/etc/mysql-mmm/mmm_mon.conf', '/etc/mysql-mmm/mmm_agent.conf']);
  assert.match(yaml, /secret_file: \/etc\/mmm\/secret/);
  assert.match(yaml, /# .*Create the shared secret/);
  // Without the secret file, config-check's only complaint is the secret file.
  const before = parseConfig(yaml, '/tmp/imported.yaml');
  assert.ok(!before.ok);
  assert.deepEqual([...new Set(before.error.map((p) => p.code))], ['CONFIG_SECRET_FILE']);

  const withSecret = yaml.replace('secret_file: /etc/mmm/secret', 'secret: s3cret');
  const r = parseConfig(withSecret, '/tmp/imported.yaml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.error));
  const c = r.value;
  assert.equal(c.cluster, 'main');
  assert.equal(c.activeMasterRole, 'writer');
  assert.deepEqual(c.hostNames, ['db1', 'db2', 'db3']);
  assert.deepEqual({ ...c.hosts['db1'] }, {
    name: 'db1', ip: '192.168.0.31', mode: 'master', peer: 'db2', agentPort: 9989, mysqlPort: 3306, interface: 'eth0',
    agentUser: 'mmm_agent', agentPassword: 'RepAgent', monitorUser: 'mmm_monitor', monitorPassword: '"mon pw, with # and: colon"',
    replicationUser: 'replication', replicationPassword: 'slave',
  });
  assert.equal(c.hosts['db3']?.peer, null);
  assert.deepEqual({ ...c.roles['writer'], hosts: [...(c.roles['writer']?.hosts ?? [])], ips: [...(c.roles['writer']?.ips ?? [])] },
    { name: 'writer', mode: 'exclusive', hosts: ['db1', 'db2'], ips: ['192.168.0.50'], prefer: null });
  assert.deepEqual([...(c.roles['reader']?.ips ?? [])], ['192.168.0.51', '192.168.0.52', '192.168.0.53']);
  assert.equal(c.monitor.ip, '127.0.0.1');
  assert.equal(c.monitor.statusPath, '/var/lib/mysql-mmm/mmm_mond.status');
  assert.deepEqual([...c.monitor.pingIps], ['192.168.0.1', '192.168.0.2']);
  assert.equal(c.monitor.autoSetOnlineMs, 60_000);
  assert.equal(c.monitor.carefulStartup, false);
  assert.equal(c.monitor.flapDurationMs, 3_600_000);
  assert.deepEqual({ ...c.checks.ping }, { intervalMs: 2000, trapMs: 4000, timeoutMs: 1000 });
  assert.deepEqual({ ...c.checks.repBacklog }, { intervalMs: 2000, trapMs: 4000, timeoutMs: 1000, maxBacklogMs: 30_000 });
  assert.equal(c.agent.maxKillRetries, 5);
});

test('unsupported keys appear as comments with a reason, never with a secret value, and as warnings', () => {
  const { yaml, warnings } = imported(['/etc/mysql-mmm/mmm_mon.conf', '/etc/mysql-mmm/mmm_agent.conf']);
  const comment = (re: RegExp): void => assert.ok(yaml.split('\n').some((l) => l.startsWith('#') && re.test(l)), `no comment matching ${re}\n${yaml}`);
  comment(/mmm_mon\.conf:10: ping_interval 1 — /);
  comment(/mmm_mon\.conf:14: kill_host_bin \/usr\/local\/bin\/kill_host — .*hooks\.shutdown_script/);
  comment(/mmm_mon\.conf:6: pid_path /);
  comment(/mmm_mon\.conf:32: type ssl — TLS .* not supported/);
  comment(/mmm_mon\.conf:34: key_file … — /);
  comment(/mmm_mon\.conf:37: debug 0 — .*--log-level debug/);
  comment(/mmm_agent\.conf:2: this db1 — .*--host/);
  assert.ok(!yaml.includes('key.pem'), 'secret-ish values are not echoed');
  assert.ok(warnings.some((w) => w.startsWith('/etc/mysql-mmm/mmm_mon.conf:14: `kill_host_bin` not imported')), warnings.join('\n'));
  // Comments only: the imported YAML has no key for them.
  assert.ok(!/^\s*(ping_interval|kill_host_bin|this|debug):/m.test(yaml));
});

test('common.conf included twice (given and included) is read once; the cluster name comes from MMM instance file names', () => {
  const extra = {
    '/etc/mysql-mmm/mmm_mon_prod.conf': 'include mmm_common.conf\n<host default>\n monitor_user m\n monitor_password p\n</host>\n',
  };
  const { yaml, warnings } = imported(['/etc/mysql-mmm/mmm_common.conf', '/etc/mysql-mmm/mmm_mon_prod.conf'], extra);
  assert.match(yaml, /^cluster: prod$/m);
  assert.equal(warnings.filter((w) => w.includes('overrides')).length, 0);
  assert.equal((yaml.match(/^ {2}db1: /gm) ?? []).length, 1);
});

test('missing passwords are warned about; a host key set twice with different values is warned about', () => {
  const extra = { '/x/a.conf': '<host db1>\n ip 10.0.0.1\n mode master\n</host>\n<host db1>\n ip 10.0.0.2\n</host>\n' };
  const { yaml, warnings } = imported(['/x/a.conf'], extra);
  assert.ok(warnings.some((w) => w.startsWith('/x/a.conf:6: `ip` overrides the value given at /x/a.conf:2')), warnings.join('\n'));
  assert.ok(warnings.some((w) => w.startsWith('no `monitor_password` for db1')), warnings.join('\n'));
  assert.match(yaml, /db1: \{ ip: 10\.0\.0\.2, mode: master \}/);
});

test('syntax errors, unknown keys and bad values are reported at file:line, all at once', () => {
  const extra = {
    '/x/bad.conf': [
      'active_master_role writer', //          1
      '<host db1>', //                          2
      '  ip 10.0.0.1', //                       3
      '  colour blue', //                       4 unknown key
      '  agent_port lots', //                   5 bad int
      '<role writer>', //                       6 nested section
      '</host>', //                             7
      '<monitor>', //                           8
      '  careful_startup maybe', //             9 bad bool
      '  ip', //                               10 no value
      '</role>', //                            11 mismatched closer
      'include missing.conf', //              12 (inside <monitor>: refused)
      '<monitor>', //                          13 nested
      '',
    ].join('\n'),
    '/x/top.conf': 'include bad.conf\ninclude nope.conf\n<check foo>\n</check>\n<frob>\n</frob>\n<host>\n',
  };
  const r = importMmm(['/x/top.conf'], { readFile: (p) => extra[p as keyof typeof extra] ?? readFile(p) });
  assert.ok(!r.ok);
  const lines = r.error.map(formatImportProblem);
  const expect = [
    /^\/x\/bad\.conf:4: unknown key `colour` in <host db1>/,
    /^\/x\/bad\.conf:5: `agent_port` must be a whole number/,
    /^\/x\/bad\.conf:6: <role> inside <host>/,
    /^\/x\/bad\.conf:9: `careful_startup` must be yes\/no/,
    /^\/x\/bad\.conf:10: `ip` has no value/,
    /^\/x\/bad\.conf:11: <\/role> does not match <monitor> opened at line 8/,
    /^\/x\/bad\.conf:12: include inside <monitor>/,
    /^\/x\/bad\.conf:13: <monitor> inside <monitor>/,
    /^\/x\/bad\.conf:8: <monitor> is never closed/,
    /^\/x\/top\.conf:2: cannot read \/x\/nope\.conf/,
    /^\/x\/top\.conf:3: unknown check <check foo>/,
    /^\/x\/top\.conf:5: unknown section <frob>/,
    /^\/x\/top\.conf:7: <host> needs a name/,
  ];
  for (const re of expect) assert.ok(lines.some((l) => re.test(l)), `expected ${re} in\n${lines.join('\n')}`);
  assert.ok(r.error.every((p) => p.line > 0), lines.join('\n'));
});

test('a top-level file that cannot be read, or files without hosts, fail with a problem', () => {
  const r = importMmm(['/nope/mmm_mon.conf'], { readFile });
  assert.ok(!r.ok);
  assert.deepEqual(r.error.map((p) => p.code), ['IMPORT_READ_FAILED', 'IMPORT_NO_HOSTS']);
  assert.match(formatImportProblem(r.error[0] ?? { file: '', line: 0, code: 'IMPORT_SYNTAX', message: '' }), /^\/nope\/mmm_mon\.conf:0: cannot read/);
});
