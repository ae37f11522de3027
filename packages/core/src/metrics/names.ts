import type { MetricKind } from './types.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Returns what is wrong with a family name for `kind`, or nothing. */
export function checkMetricName(name: string, kind: MetricKind, legacyName = false): string | undefined {
  if (!METRIC_NAME.test(name)) return `metric name "${name}" must match [a-zA-Z_:][a-zA-Z0-9_:]*`;
  if (kind === 'counter' && !name.endsWith('_total')) return `counter "${name}" must end in "_total"`;
  if (kind !== 'counter' && name.endsWith('_total')) return `${kind} "${name}" must not end in "_total" (only counters do)`;
  if (kind === 'info' && !name.endsWith('_info')) return `info metric "${name}" must end in "_info"`;
  if (name.endsWith('_created')) return `metric name "${name}" must not end in "_created" (reserved by OpenMetrics)`;
  if (!legacyName && kind !== 'histogram' && kind !== 'summary' && /_(bucket|count|sum)$/.test(name)) {
    return `${kind} "${name}" must not end in _bucket, _count or _sum (histogram and summary samples; promtool rejects it)`;
  }
  return undefined;
}

/** Returns what is wrong with a plugin's label names, or nothing. `reserved` are names the host sets. */
export function checkLabelNames(
  metric: string,
  kind: MetricKind,
  labelNames: readonly string[],
  reserved: ReadonlySet<string>,
): string | undefined {
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      return `metric "${metric}": label name "${label}" must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"`;
    }
    if (seen.has(label)) return `metric "${metric}": label "${label}" is listed twice`;
    seen.add(label);
    if (reserved.has(label)) return `metric "${metric}": label "${label}" is set by muster or the instance's labels`;
    if (kind === 'histogram' && label === 'le') return `histogram "${metric}" cannot use label "le"`;
    if (kind === 'summary' && label === 'quantile') return `summary "${metric}" cannot use label "quantile"`;
    if (kind === 'stateset' && label === metric) return `state set "${metric}" cannot use its own name as a label`;
  }
  return undefined;
}
