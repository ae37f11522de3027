/**
 * Metric declarations and the handles a collector writes through.
 *
 * A collector declares its metrics once, in `create(ctx)`, through `ctx.metrics`, and writes
 * values in every `collect()`. Whether a metric is rebuilt every cycle or keeps growing is
 * its `accumulate` flag:
 *
 * - current-state (`accumulate: false`, the default for gauges, state sets and info): emptied
 *   before each cycle, so a series the cycle does not write again vanishes from `/metrics`;
 * - accumulating (`accumulate: true`, the default for counters, histograms and summaries):
 *   kept across cycles, so counts and distributions keep growing.
 *
 * @packageDocumentation
 */

/** Label values keyed by label name. Values are strings; numbers are converted. */
export type Labels<L extends string = string> = Partial<Record<L, string | number>>;

/** Options every metric kind shares. */
export interface MetricOptions<L extends string = string> {
  /** Family name: snake_case, prefixed with the plugin's prefix (e.g. `http_health_`). */
  name: string;
  /** One sentence saying what the value is, with its unit. */
  help: string;
  /** The label names this metric's series carry, besides `collector` and instance labels. */
  labelNames?: readonly L[];
  /** Keep values across cycles (`true`) or rebuild them every cycle (`false`). */
  accumulate?: boolean;
  /**
   * Allows a name Prometheus' linter rejects — a gauge ending in `_count`, `_sum` or `_bucket` —
   * to stay compatible with an existing exporter. Output with such a metric fails
   * `promtool check metrics`; keep it opt-in for your users.
   */
  legacyName?: boolean;
}

/** Options of a histogram. */
export interface HistogramOptions<L extends string = string> extends MetricOptions<L> {
  /** Upper bounds of the buckets, ascending; `+Inf` is added. Defaults to Prometheus' default buckets. */
  buckets?: readonly number[];
}

/** Options of a summary. */
export interface SummaryOptions<L extends string = string> extends MetricOptions<L> {
  /** Quantiles to report, each in (0, 1). Defaults to 0.5, 0.9 and 0.99. */
  percentiles?: readonly number[];
  /** Sliding window length in seconds; without it quantiles cover all observations. */
  maxAgeSeconds?: number;
  /** Number of buckets in the sliding window (with `maxAgeSeconds`). */
  ageBuckets?: number;
}

/** Options of a state set: a series per state, exactly one of them 1. */
export interface StateSetOptions<L extends string = string, S extends string = string>
  extends MetricOptions<L> {
  /** Every state the set can be in; bounded by declaration. */
  states: readonly S[];
}

/** A value that goes up and down. */
export interface Gauge<L extends string = string> {
  set(value: number): void;
  set(labels: Labels<L>, value: number): void;
  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
  dec(value?: number): void;
  dec(labels: Labels<L>, value?: number): void;
}

/** A value that only goes up (its family name ends in `_total`). */
export interface Counter<L extends string = string> {
  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
}

/** Observations counted into buckets. */
export interface Histogram<L extends string = string> {
  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  /** Starts a timer; calling the returned function observes the elapsed seconds and returns them. */
  startTimer(labels?: Labels<L>): (endLabels?: Labels<L>) => number;
}

/** Observations summarised into quantiles. */
export interface Summary<L extends string = string> {
  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  startTimer(labels?: Labels<L>): (endLabels?: Labels<L>) => number;
}

/** One state out of a declared set (OpenMetrics StateSet; a 0/1 gauge in text format 0.0.4). */
export interface StateSet<L extends string = string, S extends string = string> {
  set(state: S): void;
  set(labels: Labels<L>, state: S): void;
}

/** Constant facts about a thing as labels (OpenMetrics Info; a gauge of 1 named `<name>_info`). */
export interface Info<L extends string = string> {
  set(labels: Labels<L>): void;
}

/**
 * The metric factory a collector receives as `ctx.metrics`.
 *
 * Every series it creates carries `collector="<instance name>"` and the instance's configured
 * labels; a plugin never sets those itself.
 */
export interface MetricFactory {
  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L>;
  counter<L extends string = never>(options: MetricOptions<L>): Counter<L>;
  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L>;
  summary<L extends string = never>(options: SummaryOptions<L>): Summary<L>;
  stateSet<L extends string = never, S extends string = string>(
    options: StateSetOptions<L, S>,
  ): StateSet<L, S>;
  /** The family is named `options.name`, which must end in `_info`. */
  info<L extends string = never>(options: MetricOptions<L>): Info<L>;
}
