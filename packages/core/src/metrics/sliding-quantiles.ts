import { TDigest } from 'tdigest';

/**
 * Quantiles over a sliding time window, as Prometheus' client_golang summaries keep them: the
 * window of `maxAgeSeconds` is split into `ageBuckets` digests started one after the other;
 * every observation goes into each, a quantile is read from the oldest (the one covering the
 * whole window), and every `maxAgeSeconds / ageBuckets` the oldest is emptied and becomes the
 * newest. Each digest is a t-digest (the `tdigest` package, the one prom-client uses). Without
 * `maxAgeSeconds`, one digest covers every observation.
 */
export class SlidingQuantiles {
  readonly #digests: TDigest[];
  readonly #rotateMs: number;
  #head = 0;
  #rotatedAt: number;

  constructor(
    maxAgeSeconds: number | undefined,
    ageBuckets: number,
    readonly now: () => number = Date.now,
  ) {
    const windowed = maxAgeSeconds !== undefined && maxAgeSeconds > 0;
    const count = windowed ? Math.max(1, ageBuckets) : 1;
    this.#digests = Array.from({ length: count }, () => new TDigest());
    this.#rotateMs = windowed ? (maxAgeSeconds * 1000) / count : Number.POSITIVE_INFINITY;
    this.#rotatedAt = now();
  }

  /**
   * Adds one observation. NaN has no rank and is left out (one NaN would turn every later
   * quantile of a t-digest into NaN); the summary's sum and count still include it.
   */
  push(value: number): void {
    if (Number.isNaN(value)) return;
    this.#rotate();
    for (const digest of this.#digests) digest.push(value);
  }

  /** The `q`-quantile of the observations in the window; NaN when there are none. */
  quantile(q: number): number {
    this.#rotate();
    const digest = this.#digests[this.#head] as TDigest;
    if (digest.size() === 0) return Number.NaN;
    return digest.percentile(q) as number;
  }

  /** Forgets every observation. */
  reset(): void {
    for (const digest of this.#digests) digest.reset();
    this.#rotatedAt = this.now();
  }

  #rotate(): void {
    if (this.#rotateMs === Number.POSITIVE_INFINITY) return;
    const now = this.now();
    let steps = 0;
    while (now - this.#rotatedAt >= this.#rotateMs && steps < this.#digests.length) {
      (this.#digests[this.#head] as TDigest).reset();
      this.#head = (this.#head + 1) % this.#digests.length;
      this.#rotatedAt += this.#rotateMs;
      steps++;
    }
    // Idle for longer than the whole window: everything is out of it.
    if (now - this.#rotatedAt >= this.#rotateMs) this.#rotatedAt = now;
  }
}
