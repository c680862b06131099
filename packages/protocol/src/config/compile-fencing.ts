// The `fencing:` section (issue 7): the writer lease the monitor renews and the agent enforces on
// itself, the monitor's extra wait before promoting over an unreachable writer, and the agents'
// failsafe. The contract is in docs/fencing.md.
import type { ClusterConfig } from './types.js';
import { DEFAULTS } from './defaults.js';
import { describeValue } from './problem.js';
import { readDurationMs, readEnum, readMap } from './reader.js';
import type { Entry, Fields, ReadContext } from './reader.js';

const FENCING_KEYS = ['writer_lease', 'margin', 'failsafe'] as const;

/** Bounds of a non-zero writer lease (the agent accepts RENEW_LEASE of 100 ms … 10 min). */
export const WRITER_LEASE_MIN_MS = 500;
export const WRITER_LEASE_MAX_MS = 600_000;

function readLease(ctx: ReadContext, e: Entry | undefined): number | undefined {
  const ms = readDurationMs(ctx, e);
  if (ms === undefined || e === undefined || ms === 0) return ms;
  if (ms < WRITER_LEASE_MIN_MS || ms > WRITER_LEASE_MAX_MS) {
    ctx.problems.add(e.at, 'CONFIG_BAD_DURATION',
      `\`${e.path}\` must be 0 (no lease) or between ${WRITER_LEASE_MIN_MS}ms and ${WRITER_LEASE_MAX_MS / 60_000}m`, describeValue(ms));
    return undefined;
  }
  return ms;
}

/** Compiles `fencing` (writer_lease 0 turns leases off: MMM's behaviour). */
export function compileFencing(ctx: ReadContext, root: Fields): ClusterConfig['fencing'] {
  const f = readMap(ctx, root.get('fencing'), FENCING_KEYS, 'fencing') ?? new Map<string, Entry>();
  const d = DEFAULTS.fencing;
  return {
    writerLeaseMs: readLease(ctx, f.get('writer_lease')) ?? d.writerLeaseMs,
    marginMs: readDurationMs(ctx, f.get('margin')) ?? d.marginMs,
    failsafe: readEnum(ctx, f.get('failsafe'), ['peers', 'off'] as const) ?? d.failsafe,
  };
}
