import { API_VERSION, definePlugin, type Plugin, z } from '@muster/sdk';
import * as prom from 'prom-client';

/** The metric kinds the exposition benchmark writes. */
export type Kind = 'histogram' | 'summary' | 'gauge';

/** The value written for label set `i` in cycle `cycle` (the same on both sides). */
export const valueAt = (i: number, cycle: number): number => ((i * 7 + cycle * 13) % 100) / 100;

/**
 * A collector that writes one observation (or gauge value) per label set per cycle, through
 * `@muster/sdk`, as a plugin author would.
 */
export const kindsPlugin: Plugin = definePlugin({
  name: 'bench-kinds',
  apiVersion: API_VERSION,
  configSchema: z.object({ kind: z.enum(['histogram', 'summary', 'gauge']), labelSets: z.number().int().min(1) }),
  create(ctx) {
    const { kind, labelSets } = ctx.config;
    const labelNames = ['route'] as const;
    const write =
      kind === 'histogram'
        ? ((h) => (route: string, v: number) => h.observe({ route }, v))(
            ctx.metrics.histogram({ name: 'bench_latency_seconds', help: 'A latency.', labelNames }),
          )
        : kind === 'summary'
          ? ((s) => (route: string, v: number) => s.observe({ route }, v))(
              ctx.metrics.summary({ name: 'bench_size_bytes', help: 'A size.', labelNames, maxAgeSeconds: 600, ageBuckets: 5 }),
            )
          : ((g) => (route: string, v: number) => g.set({ route }, v))(ctx.metrics.gauge({ name: 'bench_value', help: 'A value.', labelNames }));
    let cycle = 0;
    return {
      async collect() {
        cycle++;
        for (let i = 0; i < labelSets; i++) {
          write(`/r${i}`, valueAt(i, cycle));
          // A collector writing this much yields now and then, as a well-behaved plugin does.
          if (i % 10_000 === 9_999) await new Promise((resolve) => setImmediate(resolve));
        }
      },
    };
  },
});

/** The same family in a plain prom-client registry: the baseline. Returns one cycle's work. */
export function promCycle(kind: Kind, labelSets: number): { registry: prom.Registry; write: (cycle: number) => void } {
  const registry = new prom.Registry();
  const labelNames = ['collector', 'route'];
  const metric =
    kind === 'histogram'
      ? new prom.Histogram({ name: 'bench_latency_seconds', help: 'A latency.', labelNames, registers: [registry] })
      : kind === 'summary'
        ? new prom.Summary({ name: 'bench_size_bytes', help: 'A size.', labelNames, maxAgeSeconds: 600, ageBuckets: 5, registers: [registry] })
        : new prom.Gauge({ name: 'bench_value', help: 'A value.', labelNames, registers: [registry] });
  const write = (cycle: number) => {
    for (let i = 0; i < labelSets; i++) {
      const labels = { collector: 'bench', route: `/r${i}` };
      const v = valueAt(i, cycle);
      if (metric instanceof prom.Gauge) metric.set(labels, v);
      else metric.observe(labels, v);
    }
  };
  return { registry, write };
}
