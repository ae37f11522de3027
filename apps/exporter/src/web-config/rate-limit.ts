/**
 * A token bucket with the meaning of Go's `rate.NewLimiter(rate.Every(interval), burst)`, which
 * the exporter-toolkit's `rate_limit` uses: it holds at most `burst` tokens, starts full, gains
 * one every `intervalMs`, and each request takes one or is refused. With `burst: 0` every request
 * is refused, as in Go.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(intervalMs: number, burst: number, now: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#at = now();
  }

  /** Takes a token when there is one. */
  allow(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) / this.#intervalMs);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (for `Retry-After`); Infinity when none will ever come. */
  get waitMs(): number {
    if (this.#burst < 1) return Number.POSITIVE_INFINITY;
    return Math.max(0, (1 - this.#tokens) * this.#intervalMs);
  }
}
