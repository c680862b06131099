// Which server we talk to decides the statement text; this parses the answer to the probe query.

export type ServerKind = 'mariadb' | 'mysql';

export interface ServerFlavor {
  readonly kind: ServerKind;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The raw VERSION() text, for logs. */
  readonly version: string;
}

/** The probe: one round trip telling flavour and version. */
export const PROBE_SQL = 'SELECT VERSION() AS version, @@version_comment AS version_comment';

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)/;

/** Parses `SELECT VERSION(), @@version_comment`; null when the version text is not x.y.z…. */
export function parseServerFlavor(version: string, versionComment: string): ServerFlavor | null {
  // MariaDB 10.x may prefix '5.5.5-' on the wire handshake; VERSION() itself reads '10.11.6-MariaDB-…'.
  const text = version.startsWith('5.5.5-') ? version.slice(6) : version;
  const m = VERSION_RE.exec(text);
  if (m === null) return null;
  const isMaria = /mariadb/i.test(text) || /mariadb/i.test(versionComment);
  return {
    kind: isMaria ? 'mariadb' : 'mysql',
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    version,
  };
}

/** True when the flavour's version is at least major.minor.patch. */
export function atLeast(f: ServerFlavor, major: number, minor = 0, patch = 0): boolean {
  if (f.major !== major) return f.major > major;
  if (f.minor !== minor) return f.minor > minor;
  return f.patch >= patch;
}
