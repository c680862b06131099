// Real hook scripts for the tests: bash scripts that record their argv (NUL-separated) and their MMM_*
// environment next to themselves, print something, optionally sleep, and exit with a chosen code.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mmm-hooks-'));
}

export interface ScriptOptions {
  readonly exit?: number;
  /** Sleep this many seconds in a child process (its pid goes to `<name>.pid`). */
  readonly sleepS?: number;
  /** Extra bash lines before the exit. */
  readonly extra?: string;
}

/** Writes an executable recording script `<dir>/<name>`; its records are `<dir>/<name>.argv` and `.env`. */
export async function makeScript(dir: string, name: string, o: ScriptOptions = {}): Promise<string> {
  const path = join(dir, name);
  const rec = join(dir, name);
  const lines = [
    '#!/bin/bash',
    `printf '%s\\0' "$@" > '${rec}.argv'`,
    `env -0 | grep -z '^MMM_' > '${rec}.env' || true`,
    'echo "stdout of $MMM_HOOK $MMM_HOOK_COMMAND password=$MMM_NEW_MASTER_PASSWORD"',
    'echo "stderr line" >&2',
    ...(o.sleepS === undefined ? [] : [`sleep ${o.sleepS} & echo $! > '${rec}.pid'`, 'wait']),
    o.extra ?? '',
    `exit ${o.exit ?? 0}`,
  ];
  await writeFile(path, `${lines.join('\n')}\n`);
  await chmod(path, 0o755);
  return path;
}

/** The argv a script received (without $0), or null when it never ran. */
export async function argvOf(script: string): Promise<string[] | null> {
  if (!existsSync(`${script}.argv`)) return null;
  const text = await readFile(`${script}.argv`, 'utf8');
  return text === '' ? [] : text.slice(0, -1).split('\0');
}

/** The MMM_* environment a script received. */
export async function envOf(script: string): Promise<Record<string, string>> {
  const text = await readFile(`${script}.env`, 'utf8');
  const out: Record<string, string> = {};
  for (const kv of text.split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
