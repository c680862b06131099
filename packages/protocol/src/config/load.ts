// Reading a config file from disk: the file-mode rule (as MMM: a password-holding file others can
// read is refused) and read errors become problems like any other.
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { err } from '../result.js';
import type { Result } from '../result.js';
import type { ClusterConfig, ConfigProblem } from './types.js';
import { parseConfigDetailed } from './parse.js';
import { fsErrorReason, unsafeModeFix, unsafeModeReason } from './permissions.js';

export interface LoadOptions {
  /** `--allow-readable-config`: accept config and secret files readable or writable by group/others. */
  readonly allowReadable?: boolean;
}

/** Reads, validates and compiles the config at `path`; every problem is returned at once. */
export async function loadConfig(path: string, opts: LoadOptions = {}): Promise<Result<ClusterConfig, ConfigProblem[]>> {
  let text: string;
  let mode: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    mode = st.mode;
    text = await readFile(path, 'utf8');
  } catch (e) {
    return err([{ file: path, line: 0, col: 0, code: 'CONFIG_READ_FAILED', message: `cannot read ${path}: ${fsErrorReason(e)}` }]);
  }
  const allowReadable = opts.allowReadable ?? false;
  const outcome = parseConfigDetailed(text, path, { allowReadable, baseDir: dirname(path) });
  const unsafe = unsafeModeReason(mode);
  const modeProblems: ConfigProblem[] = [];
  if (unsafe !== null && !allowReadable) {
    const writable = (mode & 0o022) !== 0;
    const at = outcome.inlineSecretAt;
    if (writable || at !== null) {
      const why = writable ? '' : ' holds passwords (first one here) but';
      modeProblems.push({
        file: path, line: writable ? 1 : at?.line ?? 1, col: writable ? 1 : at?.col ?? 1, code: 'CONFIG_READABLE_FILE',
        message: `config file${why} ${unsafe}; ${unsafeModeFix(path)}`,
      });
    }
  }
  if (modeProblems.length === 0) return outcome.result;
  const others = outcome.result.ok ? [] : outcome.result.error;
  const all = [...modeProblems, ...others].sort((a, b) => a.line - b.line || a.col - b.col);
  return err(all);
}
