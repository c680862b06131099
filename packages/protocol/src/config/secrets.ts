// Passwords and the shared secret may be written inline or as `<key>_file` paths (relative to the
// config file's directory), so the config itself can stay free of secrets.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { Offset } from './problem.js';
import { present, readString } from './reader.js';
import type { Fields, ReadContext } from './reader.js';
import { fsErrorReason, unsafeModeFix, unsafeModeReason } from './permissions.js';

export interface SecretOptions {
  readonly baseDir: string;
  readonly allowReadable: boolean;
}

/** Reads secrets for one config file; remembers the first inline secret (for the file-mode rule). */
export class SecretReader {
  /** Where the first secret written inline in the config is, if any. */
  inlineAt: Offset | null = null;
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    private readonly ctx: ReadContext,
    private readonly opts: SecretOptions,
  ) {}

  /** True when either `key` or `key_file` is given in these fields. */
  has(fields: Fields, key: string): boolean {
    return present(fields.get(key)) || present(fields.get(`${key}_file`));
  }

  /**
   * The secret under `key` (inline) or `key_file` (a path); undefined when absent or bad
   * (with a problem recorded in the latter case).
   */
  read(fields: Fields, key: string): string | undefined {
    const inline = fields.get(key);
    const file = fields.get(`${key}_file`);
    if (present(inline) && present(file)) {
      this.ctx.problems.add(file.keyAt, 'CONFIG_SECRET_CONFLICT', `give either \`${inline.path}\` or \`${file.path}\`, not both`);
      return undefined;
    }
    if (present(inline)) {
      this.inlineAt ??= inline.keyAt;
      return readString(this.ctx, inline, { secret: true });
    }
    if (!present(file)) return undefined;
    const rel = readString(this.ctx, file);
    if (rel === undefined) return undefined;
    const full = isAbsolute(rel) ? rel : resolvePath(this.opts.baseDir, rel);
    if (this.cache.has(full)) return this.cache.get(full);
    const value = this.readFile(full, file.path, file.at, rel);
    this.cache.set(full, value);
    return value;
  }

  private readFile(full: string, path: string, at: Offset, rel: string): string | undefined {
    const problems = this.ctx.problems;
    let text: string;
    try {
      const st = statSync(full);
      if (!st.isFile()) {
        problems.add(at, 'CONFIG_SECRET_FILE', `\`${path}\`: ${full} is not a regular file`, JSON.stringify(rel));
        return undefined;
      }
      const unsafe = unsafeModeReason(st.mode);
      if (unsafe !== null && !this.opts.allowReadable) {
        problems.add(at, 'CONFIG_READABLE_FILE', `\`${path}\`: secret file ${full} ${unsafe}; ${unsafeModeFix(full)}`, JSON.stringify(rel));
        return undefined;
      }
      text = readFileSync(full, 'utf8');
    } catch (e) {
      problems.add(at, 'CONFIG_SECRET_FILE', `\`${path}\`: cannot read ${full}: ${fsErrorReason(e)}`, JSON.stringify(rel));
      return undefined;
    }
    const value = text.replace(/\r?\n$/, '');
    if (value === '') {
      problems.add(at, 'CONFIG_SECRET_FILE', `\`${path}\`: secret file ${full} is empty`, JSON.stringify(rel));
      return undefined;
    }
    return value;
  }
}
