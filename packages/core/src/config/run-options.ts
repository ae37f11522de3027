import { z } from '@muster/sdk';

/**
 * How many of muster's own series an instance exports: `standard` (a fixed budget of a few series:
 * up, last success, duration, consecutive failures, one failure reason, series count…) or `full`
 * (also the failure-reason state set with every reason, run counters by result and the rest).
 */
export const SELF_METRICS = ['standard', 'full'] as const;
export type SelfMetricsLevel = (typeof SELF_METRICS)[number];

/** The defaults of the keys this file holds. */
export const RUN_OPTION_DEFAULTS = { align: false, selfMetrics: 'standard' as SelfMetricsLevel };

/** What each key means (JSON Schema descriptions and docs/configuration.md). */
const ABOUT = {
  align:
    'false (default): an interval instance\'s runs are offset within the interval by a stable hash of its name (the same phase after a restart), so instances sharing an interval do not all start together. true: the first run starts at once and every instance on the same interval runs in step.',
  selfMetrics:
    '"standard" (default): muster exports at most 12 of its own series per instance (up, last success, duration, consecutive failures, one failure reason, series, overrun…). "full": also the failure-reason state set with every reason, run counters by result, unhandled errors and stall time. The status page shows everything either way.',
};

const align = z.boolean({ error: (issue) => `expected true or false, found ${JSON.stringify(issue.input)}` });
const selfMetrics = z.enum(SELF_METRICS, {
  error: (issue) => `expected "standard" or "full", found ${JSON.stringify(issue.input)}`,
});

/** The schema keys, for an instance entry. */
export const instanceRunOptionKeys = {
  align: align.optional().describe(`${ABOUT.align} Default: defaults.align, else ${RUN_OPTION_DEFAULTS.align}.`),
  selfMetrics: selfMetrics.optional().describe(`${ABOUT.selfMetrics} Default: defaults.selfMetrics, else ${RUN_OPTION_DEFAULTS.selfMetrics}.`),
};

/** The schema keys, for `defaults:`. */
export const defaultRunOptionKeys = {
  align: align.optional().describe(`${ABOUT.align} Default ${RUN_OPTION_DEFAULTS.align}.`),
  selfMetrics: selfMetrics.optional().describe(`${ABOUT.selfMetrics} Default ${RUN_OPTION_DEFAULTS.selfMetrics}.`),
};

/** The keys as resolved for one instance. */
export interface RunOptions {
  readonly align: boolean;
  readonly selfMetrics: SelfMetricsLevel;
}

/** The instance's key, else the `defaults:` one, else muster's. */
export function resolveRunOptions(
  entry: { readonly align?: boolean | undefined; readonly selfMetrics?: SelfMetricsLevel | undefined },
  defaults: { readonly align?: boolean | undefined; readonly selfMetrics?: SelfMetricsLevel | undefined },
): RunOptions {
  return {
    align: entry.align ?? defaults.align ?? RUN_OPTION_DEFAULTS.align,
    selfMetrics: entry.selfMetrics ?? defaults.selfMetrics ?? RUN_OPTION_DEFAULTS.selfMetrics,
  };
}
