// A scripted Sql for unit tests: a handler answers each statement, every call is recorded.
import { err, ok, type Result } from '@mmm-ts/protocol';
import type { Row, Sql, SqlError, SqlValue } from '@mmm-ts/protocol/mysql';

export interface FakeCall {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly timeoutMs: number | undefined;
}

/** Answers a statement with rows or an SqlError; undefined means "no rows". */
export type FakeHandler = (sql: string, params: readonly SqlValue[]) => Row[] | SqlError | undefined;

export interface FakeSql extends Sql {
  readonly calls: FakeCall[];
  closed: boolean;
}

function isSqlError(v: Row[] | SqlError): v is SqlError {
  return !Array.isArray(v);
}

/** Builds a fake Sql with connection id `threadId`. */
export function createFakeSql(handler: FakeHandler, threadId = 1): FakeSql {
  const calls: FakeCall[] = [];
  const fake: FakeSql = {
    threadId,
    calls,
    closed: false,
    query(sql: string, params: readonly SqlValue[] = [], timeoutMs?: number): Promise<Result<Row[], SqlError>> {
      calls.push({ sql, params, timeoutMs });
      const r = handler(sql, params) ?? [];
      return Promise.resolve(isSqlError(r) ? err(r) : ok(r));
    },
    close() {
      fake.closed = true;
      return Promise.resolve();
    },
  };
  return fake;
}

/** A server error as mysql2 would report it. */
export function serverError(errno: number, message: string): SqlError {
  return { code: 'SQL_SERVER_ERROR', message, errno };
}
