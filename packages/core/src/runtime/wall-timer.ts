/**
 * setTimeout's longest delay, 2^31 - 1 ms (about 24.8 days). Node fires a longer one after 1 ms
 * (with a TimeoutOverflowWarning), which would run a `60d` schedule or a yearly cron at once and
 * then over and over.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A timer that calls `fire` at Unix ms `at`, however far ahead: a wait longer than setTimeout's
 * limit is slept in pieces of at most {@link MAX_TIMEOUT_MS}.
 */
export class WallTimer {
  #handle: NodeJS.Timeout;

  constructor(
    readonly at: number,
    fire: () => void,
  ) {
    const sleep = (): NodeJS.Timeout => {
      const wait = this.at - Date.now();
      if (wait <= MAX_TIMEOUT_MS) return setTimeout(fire, Math.max(0, wait));
      return setTimeout(() => {
        this.#handle = sleep();
      }, MAX_TIMEOUT_MS);
    };
    this.#handle = sleep();
  }

  /** Stops the timer; `fire` is not called. */
  cancel(): void {
    clearTimeout(this.#handle);
  }
}
