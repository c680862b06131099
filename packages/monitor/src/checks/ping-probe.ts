// The `ping` check as a TCP connect (no root needed, unlike ICMP): connected or ECONNREFUSED both mean
// the host is up — a refusal is sent by the host's own kernel, so the host and the path to it work
// even though nothing listens. Only a timeout or "no route" means the host (or the network) is gone.
// The agent port is probed rather than the MySQL port: a bare connect-and-close to mysqld counts as an
// aborted connect and, with name resolution on, towards max_connect_errors, which would end with
// mysqld blocking the monitor's address. The agent ignores a connection that sends nothing.
import { connect } from 'node:net';
import { isUnreachable, probeResult, type Clock } from './probe-kit.js';
import type { ProbeResult } from './trap.js';

/** Outcome of one TCP connect attempt. */
export type TcpReach = 'connected' | 'refused' | 'unreachable' | 'timeout' | 'error';

/** One bounded TCP connect to ip:port; closes the socket at once; never throws. */
export function tcpReach(ip: string, port: number, timeoutMs: number): Promise<{ reach: TcpReach; detail: string }> {
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({ host: ip, port });
    const finish = (reach: TcpReach, detail: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ reach, detail });
    };
    const timer = setTimeout(() => finish('timeout', `no answer from ${ip}:${port} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish('connected', `${ip}:${port} accepted the connection`));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish('refused', `${ip}:${port} refused the connection (host up)`);
      else if (isUnreachable(e.code)) finish('unreachable', `${ip}:${port}: ${e.code}`);
      else if (e.code === 'ETIMEDOUT') finish('timeout', `${ip}:${port}: ETIMEDOUT`);
      else finish('error', `${ip}:${port}: ${e.code ?? e.message}`);
    });
  });
}

/** One `ping` probe: TCP connect to ip:port; never throws. */
export async function probePing(ip: string, port: number, timeoutMs: number, now: Clock): Promise<ProbeResult> {
  const startedAt = now();
  const r = await tcpReach(ip, port, timeoutMs);
  switch (r.reach) {
    case 'connected':
    case 'refused':
      return probeResult('ok', r.detail, startedAt, now);
    case 'unreachable':
    case 'timeout':
      return probeResult('timeout', r.detail, startedAt, now);
    default:
      return probeResult('error', r.detail, startedAt, now);
  }
}
