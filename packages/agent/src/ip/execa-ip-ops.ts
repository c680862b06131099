// The real IpOps: iproute2 `ip` and iputils `arping` run through execa with argument arrays.
import { execa } from 'execa';
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { IpError, IpOps } from './ip-ops.js';

export interface ExecaIpOpsOptions {
  /** Run inside this network namespace (`ip -n NS`, `ip netns exec NS arping`): tests only. */
  readonly netns?: string;
  /** Bound on each `ip` command [2000]. */
  readonly timeoutMs?: number;
  /** Gratuitous ARPs sent per announce, one second apart [3]. */
  readonly announceCount?: number;
  readonly onAnnounceError?: (e: IpError) => void;
}

const INET_RE = /\binet (\d+\.\d+\.\d+\.\d+)\//g;

/** Parses `ip -o -4 addr show` output into the addresses, prefix lengths dropped. */
export function parseIpAddrShow(stdout: string): string[] {
  return [...stdout.matchAll(INET_RE)].map((m) => m[1] ?? '').filter((s) => s !== '');
}

/** Parses `ip -o -4 addr show` output into address → prefix length. */
export function parseIpAddrPrefixes(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of stdout.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\/(\d+)/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** Builds the real IpOps. */
export function createExecaIpOps(opts: ExecaIpOpsOptions = {}): IpOps {
  const timeout = opts.timeoutMs ?? 2_000;
  const ipPrefix = opts.netns !== undefined ? ['-n', opts.netns] : [];

  async function run(file: string, args: readonly string[]): Promise<Result<string, IpError>> {
    const r = await execa(file, args, { timeout, reject: false, stdin: 'ignore' });
    const argv = [file, ...args];
    if (r.timedOut) return err({ code: 'IP_COMMAND_TIMEOUT', message: `${argv.join(' ')} timed out`, argv, stderr: String(r.stderr ?? '') });
    if (r.failed) {
      const stderr = String(r.stderr ?? '').trim();
      return err({ code: 'IP_COMMAND_FAILED', message: `${argv.join(' ')} failed: ${stderr || r.shortMessage}`, argv, stderr });
    }
    return ok(String(r.stdout ?? ''));
  }

  const pending = new Map<string, NodeJS.Timeout[]>();
  const prefixes = new Map<string, number>();
  function cancelAnnouncements(ip: string): void {
    for (const t of pending.get(ip) ?? []) clearTimeout(t);
    pending.delete(ip);
  }

  function arpingOnce(iface: string, ip: string): void {
    const [file, args] =
      opts.netns !== undefined
        ? ['ip', ['netns', 'exec', opts.netns, 'arping', '-U', '-c', '1', '-I', iface, ip]]
        : ['arping', ['-U', '-c', '1', '-I', iface, ip]];
    void run(file, args).then((r) => {
      if (!r.ok) opts.onAnnounceError?.(r.error);
    });
  }

  return {
    async list(iface) {
      const r = await run('ip', [...ipPrefix, '-o', '-4', 'addr', 'show', 'dev', iface]);
      if (!r.ok) return r;
      // Remember each address's prefix length, so a following del needs no second listing.
      for (const [addr, len] of parseIpAddrPrefixes(r.value)) prefixes.set(`${iface} ${addr}`, len);
      return ok(parseIpAddrShow(r.value));
    },
    async add(iface, ip) {
      const r = await run('ip', [...ipPrefix, 'addr', 'add', `${ip}/32`, 'dev', iface]);
      return r.ok ? ok(undefined) : r;
    },
    async del(iface, ip) {
      // Repeats of an announcement for an address that is leaving would fail (and mislead clients).
      cancelAnnouncements(ip);
      // Delete with the prefix length the address really has: an operator (or MMM) may have added a
      // VIP as /24, and `ip addr del IP/32` would not match it.
      let prefix = prefixes.get(`${iface} ${ip}`);
      if (prefix === undefined) {
        const shown = await run('ip', [...ipPrefix, '-o', '-4', 'addr', 'show', 'dev', iface]);
        prefix = shown.ok ? (parseIpAddrPrefixes(shown.value).get(ip) ?? 32) : 32;
      }
      const r = await run('ip', [...ipPrefix, 'addr', 'del', `${ip}/${prefix}`, 'dev', iface]);
      if (r.ok) prefixes.delete(`${iface} ${ip}`);
      return r.ok ? ok(undefined) : r;
    },
    announce(iface, ip) {
      const count = opts.announceCount ?? 3;
      cancelAnnouncements(ip);
      arpingOnce(iface, ip);
      const timers: NodeJS.Timeout[] = [];
      for (let i = 1; i < count; i++) {
        const t = setTimeout(() => arpingOnce(iface, ip), i * 1_000);
        t.unref();
        timers.push(t);
      }
      pending.set(ip, timers);
    },
  };
}
