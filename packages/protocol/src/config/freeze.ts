// The validated config is shared by every component: freezing it makes an accidental write a
// TypeError (in strict mode) instead of a silent divergence.

/** Freezes an object and everything reachable from it; returns the same object. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
