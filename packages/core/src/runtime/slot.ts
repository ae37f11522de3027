/**
 * The one cycle slot of an instance name. It outlives reloads: an instance recreated because its
 * config changed takes over the slot of the one it replaces, so a cycle of the old instance that
 * ignores its abort signal still keeps the new one from starting a second cycle: never two cycles
 * of one instance at once, reloads included.
 * Unhandled errors and event-loop stalls are counted here too, so their totals survive a reload.
 */
export class CycleSlot {
  /** The cycle in progress (collect, checks and commit), if any. */
  running: Promise<void> | undefined;
  /** The plugin's collect() call, from its start until it settles: past the deadline too. */
  collecting: Promise<unknown> | undefined;
  /** Unix milliseconds since which a collect() has run past its deadline; undefined when none. */
  overrunSince: number | undefined;
  /** Unhandled errors raised by the plugin's code of this instance, ever. */
  unhandledTotal = 0;
  /** The first unhandled error since the last cycle took it: fails the current or next cycle. */
  pendingUnhandled: string | undefined;
  /** Seconds the event loop stalled while this instance's in-process cycle ran. */
  stallSeconds = 0;

  /** `performance.now()` when the last collect() started, and when it settled (undefined while it runs). */
  collectStartedAt = 0;
  collectEndedAt: number | undefined;
  /** The synchronous part of the last collect() call (until its first await), in `performance.now()` times. */
  syncSpan: { readonly from: number; readonly to: number } | undefined;

  /** Marks `collect` as the slot's collect() call until it settles. */
  hold(collect: Promise<unknown>): void {
    this.collectStartedAt = performance.now();
    this.collectEndedAt = undefined;
    const end = () => {
      this.collectEndedAt = performance.now();
    };
    const settled = collect.then(end, end);
    this.collecting = settled;
    void settled.then(() => {
      if (this.collecting === settled) {
        this.collecting = undefined;
        this.overrunSince = undefined;
      }
    });
  }

  /** Returns and forgets the pending unhandled error, if any. */
  takeUnhandled(): string | undefined {
    const pending = this.pendingUnhandled;
    this.pendingUnhandled = undefined;
    return pending;
  }
}
