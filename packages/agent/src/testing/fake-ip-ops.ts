// An in-memory IpOps for unit tests (reused by other packages' tests through the agent's exports).
import { err, ok } from '@mmm-ts/protocol';
import type { IpError, IpOps } from '../ip/ip-ops.js';

export interface FakeIpOps extends IpOps {
  /** Addresses per interface; edit it to simulate drift. */
  readonly addrs: Map<string, string[]>;
  /** Every announce call, in order, as `iface ip`. */
  readonly announced: string[];
  /** Commands that should fail next ('list' | 'add' | 'del'), consumed one per call. */
  readonly failNext: string[];
}

/** Builds a fake with the given addresses. */
export function createFakeIpOps(initial: Record<string, string[]> = {}): FakeIpOps {
  const addrs = new Map(Object.entries(initial).map(([k, v]) => [k, [...v]]));
  const announced: string[] = [];
  const failNext: string[] = [];
  const fail = (op: string, iface: string, ip = ''): IpError | null => {
    const i = failNext.indexOf(op);
    if (i < 0) return null;
    failNext.splice(i, 1);
    return { code: 'IP_COMMAND_FAILED', message: `fake ${op} failed`, argv: ['ip', op, iface, ip], stderr: 'fake' };
  };
  return {
    addrs, announced, failNext,
    list(iface) {
      const e = fail('list', iface);
      return Promise.resolve(e ? err(e) : ok([...(addrs.get(iface) ?? [])]));
    },
    add(iface, ip) {
      const e = fail('add', iface, ip);
      if (e) return Promise.resolve(err(e));
      const l = addrs.get(iface) ?? [];
      if (l.includes(ip)) return Promise.resolve(err({ code: 'IP_COMMAND_FAILED', message: 'RTNETLINK answers: File exists', argv: [], stderr: 'File exists' }));
      addrs.set(iface, [...l, ip]);
      return Promise.resolve(ok(undefined));
    },
    del(iface, ip) {
      const e = fail('del', iface, ip);
      if (e) return Promise.resolve(err(e));
      const l = addrs.get(iface) ?? [];
      if (!l.includes(ip)) return Promise.resolve(err({ code: 'IP_COMMAND_FAILED', message: 'RTNETLINK answers: Cannot assign requested address', argv: [], stderr: '' }));
      addrs.set(iface, l.filter((a) => a !== ip));
      return Promise.resolve(ok(undefined));
    },
    announce(iface, ip) {
      announced.push(`${iface} ${ip}`);
    },
  };
}
