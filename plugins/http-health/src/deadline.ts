/**
 * One check's deadline over all its hops, joined with the cycle's signal: {@link signal} fires
 * when either does. Call {@link dispose} when the check ends, so neither the timer nor the
 * listener on the cycle's signal outlives it.
 */
export class CheckDeadline {
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal;
  readonly #timer: NodeJS.Timeout;
  #expired = false;
  readonly #onOuterAbort = () => this.#controller.abort(this.#outer.reason);

  constructor(outer: AbortSignal, timeoutMs: number) {
    this.#outer = outer;
    outer.addEventListener('abort', this.#onOuterAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#expired = true;
      const error = Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
      this.#controller.abort(error);
    }, timeoutMs);
  }

  /** Fires at the deadline or with the cycle's signal. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the check's own timeout fired (not the cycle's signal). */
  get expired(): boolean {
    return this.#expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer.removeEventListener('abort', this.#onOuterAbort);
  }
}
