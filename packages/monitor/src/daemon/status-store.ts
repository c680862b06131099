// The status file on disk: read once at startup (missing = first start), written atomically
// (temp file, fsync, rename, fsync of the directory) whenever the state's text changes.
import { open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { err, ok, type Result } from '@mmm-ts/protocol';
import { formatStatusFile, parseStatusFile, type CoreConfig, type MonitorState, type StoredStatus } from '../core/index.js';

export type StatusLoadError =
  | { readonly code: 'MONITOR_STATUS_READ_FAILED'; readonly message: string }
  | { readonly code: 'CORE_STATUS_FILE_BAD_LINE'; readonly message: string };

/** Reads the status file; a missing file is an empty status (first start). */
export async function loadStatusFile(path: string): Promise<Result<{ stored: StoredStatus; existed: boolean }, StatusLoadError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ok({ stored: {}, existed: false });
    return err({ code: 'MONITOR_STATUS_READ_FAILED', message: `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}` });
  }
  const p = parseStatusFile(text);
  if (!p.ok) return err({ code: p.error.code, message: p.error.message });
  return ok({ stored: p.value, existed: true });
}

/** Writes `text` to `path` atomically and durably. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  try {
    const dh = await open(dirname(path), 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  } catch { /* some filesystems refuse fsync on a directory: the rename is still atomic */ }
}

/** Keeps the status file in step with the state, writing only when its text changes. */
export class StatusWriter {
  private last: string | null = null;

  constructor(private readonly path: string, private readonly cfg: CoreConfig, private readonly onError: (e: unknown) => void) {}

  async write(state: MonitorState): Promise<void> {
    const text = formatStatusFile(state, this.cfg);
    if (text === this.last) return;
    try {
      await writeFileAtomic(this.path, text);
      this.last = text;
    } catch (e) {
      this.onError(e);
    }
  }
}
