// A test plugin that writes `series` gauge series every cycle, for load tests. With `churn`, the
// window of series ids moves by that many each cycle inside a bounded space of 2 × series ids:
// `churn` series vanish and as many appear per cycle, and label values repeat over time, so a
// long run holds a steady number of distinct series (a leak shows as growth, not as churn).
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'fixture-many',
  apiVersion: API_VERSION,
  description: 'test fixture: many gauge series',
  configSchema: z.object({ series: z.number().int().min(1).max(1_000_000), churn: z.number().int().min(0).default(0) }).strict(),
  create(ctx) {
    const value = ctx.metrics.gauge({ name: 'fixture_many_value', help: 'One of many series.', labelNames: ['id', 'group'] });
    const { series, churn } = ctx.config;
    const space = series * 2;
    let cycle = 0;
    return {
      collect() {
        const start = (cycle * churn) % space;
        for (let i = 0; i < series; i++) {
          const id = (start + i) % space;
          value.set({ id: `s${id}`, group: `g${id % 100}` }, cycle + i / series);
        }
        cycle++;
      },
    };
  },
});
