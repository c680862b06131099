// From YAML text to a validated, frozen ClusterConfig, or every problem in the file at once.
import { dirname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { err, ok } from '../result.js';
import type { Result } from '../result.js';
import type { ClusterConfig, ConfigProblem, ParseOptions } from './types.js';
import { ProblemList } from './problem.js';
import type { Offset } from './problem.js';
import { checkName, missing, present, readMap, readString, rootEntry } from './reader.js';
import type { Entry, Fields, ReadContext } from './reader.js';
import { SecretReader } from './secrets.js';
import { DEFAULTS } from './defaults.js';
import { compileHosts } from './compile-hosts.js';
import { compileRoles } from './compile-roles.js';
import { compileAgent, compileChecks, compileHooks, compileMonitor, compileSecurity } from './compile-sections.js';
import { compileFencing } from './compile-fencing.js';
import { checkReferences } from './references.js';
import { deepFreeze } from './freeze.js';

const TOP_KEYS = ['cluster', 'active_master_role', 'monitor', 'host_defaults', 'hosts', 'roles', 'checks', 'security', 'agent', 'hooks', 'fencing'] as const;

/** What parsing learned besides the result: where the first inline secret is (for the file-mode rule). */
export interface ParseOutcome {
  readonly result: Result<ClusterConfig, ConfigProblem[]>;
  readonly inlineSecretAt: { line: number; col: number } | null;
}

/** parseConfig plus the facts loadConfig needs; internal to the config module. */
export function parseConfigDetailed(text: string, file: string, opts: ParseOptions = {}): ParseOutcome {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const problems = new ProblemList(file, lines);
  let fatal = false;
  for (const e of [...doc.errors, ...doc.warnings]) {
    const duplicate = e.code === 'DUPLICATE_KEY';
    fatal ||= !duplicate && e.name === 'YAMLParseError';
    const message = e.message.split('\n')[0] ?? e.message;
    if (duplicate) problems.add(e.pos[0], 'CONFIG_DUPLICATE_KEY', 'this key appears twice in the same mapping', JSON.stringify(/^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim() ?? ''));
    else problems.add(e.pos[0], 'CONFIG_YAML_SYNTAX', `YAML: ${message}`);
  }
  if (fatal) return { result: err(problems.sorted()), inlineSecretAt: null };

  const ctx: ReadContext = { doc, problems };
  const secrets = new SecretReader(ctx, { baseDir: opts.baseDir ?? dirname(file), allowReadable: opts.allowReadable ?? false });
  const top = rootEntry(ctx);
  if (!present(top)) {
    problems.add(null, 'CONFIG_WRONG_TYPE', 'the config file is empty: it must be a mapping with at least `cluster` and `hosts`');
    return { result: err(problems.sorted()), inlineSecretAt: null };
  }
  const root = readMap(ctx, top, TOP_KEYS, 'the config file');
  if (root === undefined) return { result: err(problems.sorted()), inlineSecretAt: null };
  const config = compile(ctx, secrets, file, top, root);
  const inlineSecretAt = secrets.inlineAt === null ? null : lines.linePos(secrets.inlineAt);
  if (problems.count > 0) return { result: err(problems.sorted()), inlineSecretAt };
  return { result: ok(deepFreeze(config)), inlineSecretAt };
}

function compile(ctx: ReadContext, secrets: SecretReader, file: string, top: Entry, root: Fields): ClusterConfig {
  const clusterEntry = root.get('cluster');
  const cluster = readString(ctx, clusterEntry) ?? '';
  if (!present(clusterEntry)) missing(ctx, clusterEntry?.keyAt ?? top.at, 'cluster', ': name the cluster, e.g. `cluster: main`');
  if (cluster !== '' && clusterEntry !== undefined) checkName(ctx, clusterEntry.at, 'cluster', cluster);

  const amrEntry = root.get('active_master_role');
  const activeMasterRole = readString(ctx, amrEntry) ?? DEFAULTS.activeMasterRole;
  const monitor = compileMonitor(ctx, root, cluster);
  const hosts = compileHosts(ctx, root, secrets);
  const roles = compileRoles(ctx, root);
  const checks = compileChecks(ctx, root);
  const security = compileSecurity(ctx, root, secrets);
  const agent = compileAgent(ctx, root);
  const hooks = compileHooks(ctx, root);
  const fencing = compileFencing(ctx, root);
  const activeMasterRoleAt: Offset = present(amrEntry) ? amrEntry.at : root.get('roles')?.keyAt ?? top.at;
  checkReferences(ctx, {
    hosts: hosts.hosts, hostPlaces: hosts.places, roles: roles.roles, rolePlaces: roles.places, activeMasterRole, activeMasterRoleAt,
  });
  return {
    file,
    cluster,
    activeMasterRole,
    monitor,
    hosts: hosts.hosts,
    hostNames: Object.keys(hosts.hosts).sort(),
    roles: roles.roles,
    roleNames: roles.roleNames,
    checks,
    security,
    agent,
    hooks,
    fencing,
  };
}

/** Validates YAML text (read from `file`, used in messages and to resolve `*_file` paths). */
export function parseConfig(text: string, file: string, opts: ParseOptions = {}): Result<ClusterConfig, ConfigProblem[]> {
  return parseConfigDetailed(text, file, opts).result;
}
