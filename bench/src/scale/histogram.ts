/** Per-instance response-time histograms read from text expositions, summed over instances. */
export interface Durations {
  /** The p99 of the observations, interpolated in its bucket as `histogram_quantile` does (seconds). */
  readonly p99: number;
  /** Share of the observations at or under {@link WITHIN_SECONDS} (exact when a bucket ends there). */
  readonly within: number;
  /** The median over instances of each instance's mean (seconds). */
  readonly medianMean: number;
  readonly observations: number;
}

/** The bound {@link Durations.within} counts under: 10 ms, the p99 goal against a 1 ms target. */
export const WITHIN_SECONDS = 0.01;

/**
 * The buckets the benchmark configures for http-health (seconds): as many as the default (so
 * series, scrape size and memory stay those of a default config), but narrow under 25 ms, so a
 * p99 near the 10 ms goal is read in a bucket a few ms wide instead of interpolated in
 * (10, 25] ms.
 */
export const FINE_BUCKETS: readonly number[] = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.25, 5];

interface Parsed {
  /** Upper bound → cumulative count, summed over instances. */
  readonly buckets: Map<number, number>;
  readonly sums: Map<string, number>;
  readonly counts: Map<string, number>;
}

function parse(body: string, family: string): Parsed {
  const buckets = new Map<number, number>();
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  const sample = new RegExp(`^${family}_(bucket|sum|count)\\{([^}]*)\\} (\\S+)$`);
  for (const line of body.split('\n')) {
    const m = sample.exec(line);
    if (m === null) continue;
    const labels = m[2] as string;
    const value = Number(m[3]);
    const collector = /collector="([^"]*)"/.exec(labels)?.[1] ?? '';
    if (m[1] === 'bucket') {
      const le = /le="([^"]*)"/.exec(labels)?.[1] ?? '+Inf';
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
    } else if (m[1] === 'sum') sums.set(collector, value);
    else counts.set(collector, value);
  }
  return { buckets, sums, counts };
}

const minus = <K>(a: Map<K, number>, b: Map<K, number> | undefined) => new Map([...a].map(([k, v]) => [k, v - (b?.get(k) ?? 0)] as const));

/**
 * Reads histogram `family` (e.g. `http_health_request_duration_seconds`) from `body`. With
 * `since` (a body scraped earlier), only the observations made between the two scrapes count,
 * as `histogram_quantile(0.99, sum(rate(…_bucket[window])))` reads them: a window of steady
 * state, without the first cycles run while the process was starting.
 */
export function durations(body: string, family: string, since?: string): Durations {
  const now = parse(body, family);
  const before = since === undefined ? undefined : parse(since, family);
  const buckets = minus(now.buckets, before?.buckets);
  const sums = minus(now.sums, before?.sums);
  const counts = minus(now.counts, before?.counts);
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Number.POSITIVE_INFINITY) ?? 0;
  let p99 = Number.NaN;
  if (total > 0) {
    const rank = total * 0.99;
    let lower = 0;
    let below = 0;
    for (const bound of bounds) {
      const at = buckets.get(bound) ?? 0;
      if (at >= rank) {
        p99 = bound === Number.POSITIVE_INFINITY ? lower : lower + ((bound - lower) * (rank - below)) / Math.max(1, at - below);
        break;
      }
      lower = bound;
      below = at;
    }
  }
  // The highest bound at or under WITHIN_SECONDS: exact when a bucket ends there, else a lower bound.
  const under = bounds.filter((b) => b <= WITHIN_SECONDS).at(-1);
  const within = total > 0 && under !== undefined ? (buckets.get(under) ?? 0) / total : Number.NaN;
  const means = [...counts].filter(([, c]) => c > 0).map(([k, c]) => (sums.get(k) ?? 0) / c).sort((a, b) => a - b);
  return { p99, within, medianMean: means[Math.floor(means.length / 2)] ?? Number.NaN, observations: total };
}
