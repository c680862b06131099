// The monitor's own network check (MMM's ping_ips): when none of the configured addresses answers,
// the monitor suspects itself and the daemon freezes every state change. ICMP through the system
// `ping` binary when it exists; otherwise a TCP connect to port 9 (discard), where a refusal counts
// as reachable (the address's own kernel answered). No addresses configured: always OK.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { tcpReach } from './ping-probe.js';

/** How often the self-check runs (config has no key for it; MMM's ping_interval is 1 s). */
export const NETWORK_CHECK_INTERVAL_MS = 1000;

/** Path of an executable `ping` on PATH, or null. */
export function findPingBinary(path = process.env['PATH'] ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, 'ping');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** One ICMP echo through the system binary; true when answered. Never throws. */
export async function icmpPing(binary: string, ip: string, timeoutMs: number): Promise<boolean> {
  const waitS = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  try {
    const r = await execa(binary, ['-n', '-c', '1', '-W', waitS, ip], { reject: false, timeout: timeoutMs + 1000, stdin: 'ignore' });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** One address reachable? TCP connect to port 9: connected or refused = reachable. */
export async function tcpReachable(ip: string, timeoutMs: number): Promise<boolean> {
  const r = await tcpReach(ip, 9, timeoutMs);
  return r.reach === 'connected' || r.reach === 'refused';
}

export type NetworkProbe = (ips: readonly string[], timeoutMs: number) => Promise<boolean>;

/** The default self-check: true when any address answers (all tried in parallel), or none is configured. */
export function createNetworkProbe(pingBinary: string | null = findPingBinary()): NetworkProbe {
  return async (ips, timeoutMs) => {
    if (ips.length === 0) return true;
    const one = (ip: string): Promise<boolean> => (pingBinary !== null ? icmpPing(pingBinary, ip, timeoutMs) : tcpReachable(ip, timeoutMs));
    return new Promise<boolean>((resolve) => {
      let pending = ips.length;
      for (const ip of ips) {
        void one(ip).then((up) => {
          pending--;
          if (up) resolve(true);
          else if (pending === 0) resolve(false);
        });
      }
    });
  };
}
