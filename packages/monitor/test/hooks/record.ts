// A history record as the daemon writes it (daemon/history.ts MoveRecord): a failover of db1 to db2 with db3 repointed.
import type { MoveRecord } from '../../src/daemon/history.js';

export const RECORD: MoveRecord = {
  id: 'failover-1-db1-db2',
  kind: 'failover',
  cause: { code: 'WRITER_DEAD', sentence: 'db1: mysql check failed' },
  oldWriter: 'db1',
  newWriter: 'db2',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:00.300Z',
  durationMs: 300,
  steps: [
    { name: 'detected', host: 'db1', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 0, result: 'ok', detail: 'writer db1 is HARD_OFFLINE' },
    { name: 'release_old_writer', host: 'db1', startedAt: '2026-01-01T00:00:00.010Z', durationMs: 40, result: 'error', detail: 'agent unreachable' },
    { name: 'promote_new_writer', host: 'db2', startedAt: '2026-01-01T00:00:00.100Z', durationMs: 50, result: 'ok', detail: '' },
    { name: 'promoted', host: '', startedAt: '2026-01-01T00:00:00.150Z', durationMs: 0, result: 'ok', detail: 'db2 is the writer' },
    { name: 'repoint_replica', host: 'db3', startedAt: '2026-01-01T00:00:00.160Z', durationMs: 90, result: 'ok', detail: 'now replicating from db2' },
  ],
  gtidsAtRisk: { oldWriterPos: '0-1-20', newWriterPos: '0-1-18', missing: ['0-1-19-20'], note: '1 range(s) the new writer did not have' },
  outcome: 'promoted',
  sentence: 'db2 is the new writer',
};
