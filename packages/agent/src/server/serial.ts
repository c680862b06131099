// Runs mutating requests one at a time (SET_STATUS, CLEAR_BAD_ROLES, re-assertion), in arrival
// order, so two monitors' messages or a heartbeat and a re-assertion never interleave their actions.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs fn after everything queued before it has settled; fn's rejection reaches only its caller. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
