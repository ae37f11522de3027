/** Per-instance response-time histograms read from a text exposition, summed over instances. */
export interface Durations {
  /** The p99 of every observation, interpolated in its bucket as `histogram_quantile` does (seconds). */
  readonly p99: number;
  /** The median over instances of each instance's mean (seconds). */
  readonly medianMean: number;
  readonly observations: number;
}

/** Reads histogram `family` (e.g. `http_health_request_duration_seconds`) from `body`. */
export function durations(body: string, family: string): Durations {
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
  const means = [...counts].filter(([, c]) => c > 0).map(([k, c]) => (sums.get(k) ?? 0) / c).sort((a, b) => a - b);
  return { p99, medianMean: means[Math.floor(means.length / 2)] ?? Number.NaN, observations: total };
}
