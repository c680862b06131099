// Expected failures are values, bugs are exceptions: every fallible operation that a caller must
// handle returns a Result instead of throwing.
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

/** An expected failure with a stable code (see docs/errors.md) and a human sentence. */
export interface Failure<C extends string = string> {
  readonly code: C;
  readonly message: string;
}
