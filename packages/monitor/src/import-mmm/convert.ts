// From the parsed MMM tree to MMM-TS YAML: each key mapped by the tables in keys.ts, `<host default>`
// and `<check default>` applied as MMM does, unsupported keys kept as comments with a reason.
import { basename } from 'node:path';
import type { ImportProblem } from './problem.js';
import type { MmmSection, MmmTree, MmmValue } from './parse-mmm.js';
import { parseMmmBool, parseMmmList } from './parse-mmm.js';
import {
  CHECK_KEYS, CHECK_NAMES, GLOBAL_KEYS, HOST_KEYS, HOST_ONLY, MONITOR_KEYS, ROLE_KEYS, isSecretKey,
  type Conv, type KeyRule,
} from './keys.js';
import { blockSection, namedSection, yBool, yDur, yList, yNum, yStr, type Fields, type Rendered } from './yaml-out.js';

const where = (v: { file: string; line: number }): string => `${v.file}:${v.line}`;

/** Converted values of one target (a host, a role…), remembering where each came from. */
class Target {
  readonly fields: Fields = new Map();
  private readonly from = new Map<string, MmmValue>();
  constructor(private readonly warnings: string[]) {}

  set(key: string, value: Rendered, src: MmmValue): void {
    const prev = this.from.get(key);
    if (prev !== undefined && prev.value !== src.value) {
      this.warnings.push(`${where(src)}: \`${src.key}\` overrides the value given at ${where(prev)}`);
    }
    this.fields.set(key, value);
    this.from.set(key, src);
  }
}

class Converter {
  readonly problems: ImportProblem[] = [];
  readonly warnings: string[] = [];
  /** Comments for the "not imported" block. */
  readonly notes: string[] = [];
  readonly top = new Target(this.warnings);
  readonly monitor = new Target(this.warnings);
  readonly agent = new Target(this.warnings);
  readonly hostDefaults = new Target(this.warnings);
  readonly hosts = new Map<string, Target>();
  readonly roles = new Map<string, Target>();
  readonly checkDefault = new Target(this.warnings);
  readonly checks = new Map<string, Target>();

  private problem(v: { file: string; line: number }, code: ImportProblem['code'], message: string): void {
    this.problems.push({ file: v.file, line: v.line, code, message });
  }

  private note(v: MmmValue, why: string): void {
    const shown = isSecretKey(v.key) ? `${v.key} …` : `${v.key} ${v.value}`;
    this.notes.push(`${where(v)}: ${shown} — ${why}`);
    this.warnings.push(`${where(v)}: \`${v.key}\` not imported: ${why}`);
  }

  private convert(v: MmmValue, conv: Conv): Rendered | undefined {
    switch (conv) {
      case 'str': return yStr(v.value);
      case 'list': return yList(parseMmmList(v.value));
      case 'int':
        if (/^\d+$/.test(v.value)) return yNum(Number(v.value));
        this.problem(v, 'IMPORT_BAD_VALUE', `\`${v.key}\` must be a whole number, got ${JSON.stringify(v.value)}`);
        return undefined;
      case 'dur':
        if (/^\d+(\.\d+)?$/.test(v.value)) return yDur(v.value);
        this.problem(v, 'IMPORT_BAD_VALUE', `\`${v.key}\` must be a number of seconds, got ${JSON.stringify(v.value)}`);
        return undefined;
      case 'bool': {
        const b = parseMmmBool(v.value);
        if (b !== null) return yBool(b);
        this.problem(v, 'IMPORT_BAD_VALUE', `\`${v.key}\` must be yes/no, on/off, true/false or 1/0, got ${JSON.stringify(v.value)}`);
        return undefined;
      }
    }
  }

  /** Applies one value by its rule: converted into `put`, noted as unsupported, or a problem. */
  private apply(v: MmmValue, rules: ReadonlyMap<string, KeyRule>, where_: string, put: (key: string, r: Rendered) => void): void {
    const rule = rules.get(v.key);
    if (rule === undefined) {
      this.problem(v, 'IMPORT_UNKNOWN_KEY', `unknown key \`${v.key}\` ${where_} (MMM itself refuses it)`);
      return;
    }
    if ('unsupported' in rule) {
      this.note(v, rule.unsupported);
      return;
    }
    const r = this.convert(v, rule.conv);
    if (r !== undefined) put(rule.to, r);
  }

  global(values: readonly MmmValue[]): void {
    for (const v of values) {
      if (v.key === 'debug' && parseMmmBool(v.value) === null) {
        this.problem(v, 'IMPORT_BAD_VALUE', `\`debug\` must be a boolean, got ${JSON.stringify(v.value)}`);
        continue;
      }
      this.apply(v, GLOBAL_KEYS, 'at top level', (key, r) => {
        if (key.startsWith('agent.')) this.agent.set(key.slice(6), r, v);
        else this.top.set(key, r, v);
      });
    }
  }

  section(s: MmmSection): void {
    const name = s.name ?? '';
    switch (s.kind) {
      case 'monitor':
        for (const v of s.values) this.apply(v, MONITOR_KEYS, 'in <monitor>', (k, r) => this.monitor.set(k, r, v));
        return;
      case 'host': {
        const t = name === 'default' ? this.hostDefaults : this.get(this.hosts, name);
        for (const v of s.values) this.apply(v, HOST_KEYS, `in <host ${name}>`, (k, r) => t.set(k, r, v));
        return;
      }
      case 'role': {
        const t = this.get(this.roles, name);
        for (const v of s.values) this.apply(v, ROLE_KEYS, `in <role ${name}>`, (k, r) => t.set(k, r, v));
        return;
      }
      case 'check': {
        if (name !== 'default' && !(CHECK_NAMES as readonly string[]).includes(name)) {
          this.problem(s, 'IMPORT_UNKNOWN_SECTION', `unknown check <check ${name}> (MMM has ping, mysql, rep_threads, rep_backlog)`);
          return;
        }
        const t = name === 'default' ? this.checkDefault : this.get(this.checks, name);
        for (const v of s.values) {
          if (v.key === 'max_backlog' && name !== 'default' && name !== 'rep_backlog') {
            this.problem(v, 'IMPORT_UNKNOWN_KEY', `\`max_backlog\` belongs in <check rep_backlog> or <check default>`);
            continue;
          }
          this.apply(v, CHECK_KEYS, `in <check ${name}>`, (k, r) => t.set(k, r, v));
        }
        return;
      }
      case 'socket':
        for (const v of s.values) this.note(v, 'TLS between monitor and agents is not supported; MMM-TS authenticates every message with `security.secret_file` instead');
        return;
      default:
        for (const v of s.values) this.note(v, `<${s.kind}>: mmm_tools (backup, clone, restore) is not part of MMM-TS`);
    }
  }

  private get(m: Map<string, Target>, name: string): Target {
    let t = m.get(name);
    if (t === undefined) {
      t = new Target(this.warnings);
      m.set(name, t);
    }
    return t;
  }
}

/** The cluster name: MMM's instance name from `mmm_mon_NAME.conf` & co., else `main`. */
function clusterName(files: readonly string[]): string {
  for (const f of files) {
    const m = /^mmm_(?:common|mon|agent)_([A-Za-z0-9_.-]+)\.conf$/.exec(basename(f));
    if (m?.[1] !== undefined) return m[1];
  }
  return 'main';
}

/** Host fields as MMM-TS wants them: ip/mode/peer on the host (copied from <host default> if set there). */
function splitHosts(c: Converter): { defaults: Fields; hosts: Map<string, Fields> } {
  const defaults: Fields = new Map();
  const inherited: Fields = new Map();
  for (const [k, v] of c.hostDefaults.fields) (HOST_ONLY.has(k) ? inherited : defaults).set(k, v);
  const hosts = new Map<string, Fields>();
  for (const [name, t] of c.hosts) {
    const f: Fields = new Map();
    for (const k of ['ip', 'mode', 'peer']) {
      const v = t.fields.get(k) ?? inherited.get(k);
      if (v !== undefined) f.set(k, v);
    }
    for (const [k, v] of t.fields) if (!HOST_ONLY.has(k)) f.set(k, v);
    hosts.set(name, f);
  }
  return { defaults, hosts };
}

function checkFields(c: Converter): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const name of CHECK_NAMES) {
    const f: Fields = new Map();
    const own = c.checks.get(name)?.fields;
    for (const k of ['interval', 'trap', 'timeout', ...(name === 'rep_backlog' ? ['max_backlog'] : [])]) {
      const v = own?.get(k) ?? c.checkDefault.fields.get(k);
      if (v !== undefined) f.set(k, v);
    }
    if (f.size > 0) out.set(name, f);
  }
  return out;
}

const PASSWORDS = ['agent_password', 'monitor_password', 'replication_password'] as const;

/** Converts the parsed files; problems make the import fail, warnings do not. */
export function convertMmm(tree: MmmTree, files: readonly string[]): { yaml: string; warnings: string[]; problems: ImportProblem[] } {
  const c = new Converter();
  c.global(tree.global);
  for (const s of tree.sections) c.section(s);
  if (c.hosts.size === 0) {
    c.problems.push({ file: files[0] ?? '', line: 0, code: 'IMPORT_NO_HOSTS', message: 'no <host NAME> section in these files: give mmm_common.conf (or the file that includes it)' });
  }
  const { defaults, hosts } = splitHosts(c);
  for (const p of PASSWORDS) {
    const missing = [...hosts].filter(([, f]) => !f.has(p) && !defaults.has(p)).map(([n]) => n);
    if (missing.length > 0) c.warnings.push(`no \`${p}\` for ${missing.join(', ')}: set it in host_defaults before running config-check (MMM keeps monitor_* in mmm_mon.conf)`);
  }
  const checks = checkFields(c);
  const out: string[] = [
    `# Imported from MMM 2.2 config by \`mmm-control import-mmm\` (${files.map((f) => basename(f)).join(', ')}).`,
    '# It holds the passwords as they were in the MMM files: keep it private (chmod 600).',
    `cluster: ${yStr(clusterName(files))}`,
    ...[...c.top.fields].map(([k, v]) => `${k}: ${v}`),
    '',
    ...blockSection('monitor', c.monitor.fields),
    ...blockSection('host_defaults', defaults),
    ...namedSection('hosts', hosts),
    ...namedSection('roles', new Map([...c.roles].map(([n, t]) => [n, t.fields]))),
    ...namedSection('checks', checks),
    '# MMM\'s check defaults were check_period 5s, trap_period 10s, timeout 2s, max_backlog 60s;',
    '# any not set above now take MMM-TS\'s faster defaults (interval 250ms, 500ms for replication checks; trap 1s; timeout 400ms; max_backlog 60s).',
    '',
    ...blockSection('agent', c.agent.fields),
    ...blockSection('security', new Map([['secret_file', yStr('/etc/mmm/secret')]]), [
      'MMM had no authentication between monitor and agents. Create the shared secret before starting:',
      '  umask 077; head -c 32 /dev/urandom | base64 > /etc/mmm/secret',
      'and copy it to every host. For a cluster still running MMM 2.2 agents use `mmm_v1_compat: true` instead.',
    ]),
  ];
  if (c.notes.length > 0) out.push('# MMM keys not imported:', ...c.notes.map((n) => `#   ${n}`), '');
  return { yaml: `${out.join('\n').trimEnd()}\n`, warnings: c.warnings, problems: c.problems };
}
