// Checking (and, as root, installing) what the rig needs from the system: root, iproute2, MariaDB
// 10.11 server and client, iputils-arping. Mirrors scripts/ensure-system-packages.sh.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { err, ok, type Result } from '@mmm-ts/protocol';
import { run } from './proc.js';

export const SYSTEM_PACKAGES = ['mariadb-server', 'mariadb-client', 'iputils-arping', 'iproute2'] as const;
const COMMANDS = ['ip', 'mariadbd', 'mariadb', 'mariadb-install-db', 'arping', 'sysctl'] as const;
const MANUAL = `apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES.join(' ')}`;

/** Finds a command on PATH (plus the sbin dirs), without running anything. */
export function which(cmd: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Commands the rig needs that are not installed. */
export function missingCommands(): string[] {
  return COMMANDS.filter((c) => which(c) === null);
}

async function aptInstall(): Promise<{ ok: boolean; output: string }> {
  const install = async (): Promise<{ ok: boolean; output: string }> => {
    const r = await run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', ...SYSTEM_PACKAGES], { timeoutMs: 600_000 });
    return { ok: r.exitCode === 0, output: `${r.stdout}\n${r.stderr}` };
  };
  const first = await install();
  if (first.ok) return first;
  // Most often a fresh machine without package lists.
  await run(['apt-get', 'update'], { timeoutMs: 600_000 });
  return install();
}

/** On a systemd host the package starts a server on 127.0.0.1:3306: harmless, but not ours. */
async function disableSystemService(): Promise<void> {
  if (existsSync('/run/systemd/system') && which('systemctl') !== null) {
    await run(['systemctl', 'disable', '--now', 'mariadb'], { timeoutMs: 60_000 });
  }
}

/**
 * Makes sure the rig can run: root, and the system packages (installed with apt-get when missing and
 * root). Err carries a sentence with the exact command to run when it cannot fix things itself.
 */
export async function ensurePrerequisites(): Promise<Result<void, string>> {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    const missing = missingCommands();
    const also = missing.length > 0 ? ` Missing commands: ${missing.join(', ')}; run as root: ${MANUAL}.` : '';
    return err(`The MariaDB test rig needs root (network namespaces, veths, a bridge).${also}`);
  }
  if (missingCommands().length === 0) return ok(undefined);
  const r = await aptInstall();
  await disableSystemService();
  const still = missingCommands();
  if (still.length === 0) return ok(undefined);
  return err(`Missing ${still.join(', ')} and installing failed; run: apt-get update && ${MANUAL}\n${r.output.slice(-1500)}`);
}
