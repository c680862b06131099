// The template datadir: mariadb-install-db costs ~0.6 s, copying its result 0.05 s, so it is built
// once per MariaDB version and template content, cached under /var/tmp, and copied for every host.
// Built in a temp dir and renamed into place, so rigs starting in parallel never see half a template.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from './errors.js';
import { run, runOk } from './proc.js';
import { templateSql } from './users.js';

/** Server options that shape the files in the datadir: the same at install time and at every start. */
export const STORAGE_ARGS: readonly string[] = [
  '--innodb-buffer-pool-size=16M',
  '--innodb-log-file-size=8M',
  '--performance-schema=OFF',
];

const TEMPLATE_ROOT = '/var/tmp';

/** The installed server's version, e.g. "10.11.19". */
export async function mariadbVersion(): Promise<string> {
  const out = await runOk(['mariadbd', '--version']);
  const m = /Ver\s+(\d+\.\d+\.\d+)/.exec(out);
  if (!m?.[1]) throw new RigError('RIG_PREREQUISITES', `cannot read the version from "mariadbd --version": ${out}`);
  return m[1];
}

/** Path of a ready template datadir, building it first if needed. */
export async function ensureTemplate(log: (msg: string) => void): Promise<string> {
  const sql = templateSql();
  const hash = createHash('sha256').update(sql).update(STORAGE_ARGS.join(' ')).digest('hex').slice(0, 10);
  const dir = join(TEMPLATE_ROOT, `mmm-rig-template-${await mariadbVersion()}-${hash}`);
  if (existsSync(join(dir, 'mysql'))) return dir;
  const started = Date.now();
  const tmp = await mkdtemp(`${dir}.tmp-`);
  try {
    const sqlFile = join(tmp, 'extra.sql');
    await writeFile(sqlFile, sql);
    const datadir = join(tmp, 'data');
    const r = await run(
      [
        'mariadb-install-db', '--no-defaults', `--datadir=${datadir}`, '--user=root', '--skip-test-db',
        '--skip-name-resolve', '--auth-root-authentication-method=socket', `--extra-file=${sqlFile}`,
        ...STORAGE_ARGS,
      ],
      { timeoutMs: 60_000 },
    );
    if (r.exitCode !== 0 || !existsSync(join(datadir, 'app'))) {
      throw new RigError('RIG_TEMPLATE_FAILED', `mariadb-install-db exited ${String(r.exitCode)}: ${(r.stderr || r.stdout).slice(-2000)}`);
    }
    try {
      await rename(datadir, dir);
    } catch (e) {
      // Another rig won the race: its template is as good as ours.
      if (!existsSync(join(dir, 'mysql'))) throw e;
    }
    log(`template datadir built in ${Date.now() - started} ms: ${dir}`);
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
