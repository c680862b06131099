// The narrow interface for the IP effects (addresses on an interface, gratuitous ARP), so the IP
// actions can be tested with a fake and never run a shell.
import type { Failure, Result } from '@mmm-ts/protocol';

export const IP_ERROR_CODES = ['IP_COMMAND_FAILED', 'IP_COMMAND_TIMEOUT'] as const;
export type IpErrorCode = (typeof IP_ERROR_CODES)[number];

/** A failed `ip` command: the argv that ran and what it printed on stderr. */
export interface IpError extends Failure<IpErrorCode> {
  readonly argv: readonly string[];
  readonly stderr: string;
}

/**
 * Contract:
 * - `list` returns the IPv4 addresses (without prefix length) on the interface, or an IpError.
 * - `add`/`del` run `ip addr add|del IP/32 dev IF` once; they do not check first (the actions do);
 *   a failure (including "already exists"/"cannot assign") is an IpError.
 * - Every command is bounded by a timeout and run with an argument array, never a shell.
 * - `announce` starts a gratuitous ARP for IP from IF and returns at once; it never throws, never
 *   rejects and is never awaited (it takes about 1 s to exit); failures are only reported to the
 *   optional `onAnnounceError` given to the implementation.
 */
export interface IpOps {
  list(iface: string): Promise<Result<string[], IpError>>;
  add(iface: string, ip: string): Promise<Result<void, IpError>>;
  del(iface: string, ip: string): Promise<Result<void, IpError>>;
  announce(iface: string, ip: string): void;
}
