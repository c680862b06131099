// MMM refuses a password-holding file that other users can read; we also refuse one they can write
// (it names scripts run as root). `--allow-readable-config` lifts both.

/** Why this file mode is unsafe, or null when only the owner can read and write it. */
export function unsafeModeReason(mode: number): string | null {
  const perms = mode & 0o777;
  const octal = `0${perms.toString(8).padStart(3, '0')}`;
  if ((perms & 0o022) !== 0) return `is writable by group or others (mode ${octal})`;
  if ((perms & 0o044) !== 0) return `is readable by group or others (mode ${octal})`;
  return null;
}

/** The sentence that tells the operator how to fix an unsafe mode. */
export function unsafeModeFix(path: string): string {
  return `run \`chmod 600 ${path}\` or pass --allow-readable-config`;
}

/** A short reason for a failed file read (no stack, no syscall noise). */
export function fsErrorReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}
