import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** How often the loop is sampled while muster has work under way (prom-client's precision). */
export const LOOP_DELAY_RESOLUTION_MS = 10;

/** What {@link LoopDelay.read} reports: seconds between samples (resolution plus the delay). */
export interface LoopDelayStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/**
 * The event-loop delay, sampled only while muster has work under way (a cycle, a scrape). A timer
 * re-armed every {@link LOOP_DELAY_RESOLUTION_MS} records how long each wait really took, as
 * Node's `monitorEventLoopDelay` does (so a value is the resolution plus the delay); it runs while
 * at least one piece of work holds it ({@link hold}) and stops with the last one, so an idle
 * exporter is not woken a hundred times a second (that alone cost 0.3–0.5 CPU-s a minute). An
 * idle loop has nothing to delay it: between scrapes without work the stats report no samples.
 */
export class LoopDelay {
  readonly #histogram: RecordableHistogram = createHistogram();
  readonly #resolutionMs: number;
  #holders = 0;
  /** Bumped by {@link stop}: a hold taken before it no longer counts when released. */
  #generation = 0;
  #timer: NodeJS.Timeout | undefined;
  #last = 0;

  constructor(resolutionMs = LOOP_DELAY_RESOLUTION_MS) {
    this.#resolutionMs = resolutionMs;
  }

  /** True while the timer runs (some work holds it). */
  get sampling(): boolean {
    return this.#timer !== undefined;
  }

  /** Samples the loop until the returned release is called (each release counts once, and none after {@link stop}). */
  hold(): () => void {
    this.#holders++;
    if (this.#timer === undefined) {
      this.#last = performance.now();
      this.#arm();
    }
    const generation = this.#generation;
    let released = false;
    return () => {
      if (released || generation !== this.#generation) return;
      released = true;
      this.#holders--;
    };
  }

  /** Samples the loop while `work` runs; returns it. */
  around<T>(work: Promise<T>): Promise<T> {
    const release = this.hold();
    return work.finally(release);
  }

  /** The samples since the last read, in seconds (all 0 when none), and starts afresh. */
  read(): LoopDelayStats {
    const h = this.#histogram;
    const count = h.count;
    const s = (ns: number) => (count === 0 ? 0 : ns / 1e9);
    const stats = {
      count,
      min: s(h.min),
      max: s(h.max),
      mean: s(h.mean),
      stddev: s(h.stddev),
      p50: s(h.percentile(50)),
      p90: s(h.percentile(90)),
      p99: s(h.percentile(99)),
    };
    h.reset();
    return stats;
  }

  /** Stops sampling at once (on shutdown); holds taken before are dropped, their releases ignored. */
  stop(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#holders = 0;
  }

  #arm(): void {
    this.#timer = setTimeout(this.#tick, this.#resolutionMs);
    this.#timer.unref();
  }

  readonly #tick = (): void => {
    const now = performance.now();
    this.#histogram.record(Math.max(1, Math.round((now - this.#last) * 1e6)));
    this.#last = now;
    if (this.#holders > 0) this.#arm();
    else this.#timer = undefined;
  };
}
