import { API_VERSION, definePlugin, z } from '@muster/sdk';

/**
 * The benchmark's collector as a module of its own (a worker imports plugins by URL): `gauges`
 * series with three labels, rewritten every cycle.
 */
export default definePlugin({
  name: 'bench-isolation-series',
  apiVersion: API_VERSION,
  configSchema: z.object({ gauges: z.number().int().min(0) }),
  create(ctx) {
    const value = ctx.metrics.gauge({ name: 'bench_value', help: 'A value.', labelNames: ['a', 'b', 'c'] });
    let cycle = 0;
    return {
      async collect() {
        cycle++;
        for (let i = 0; i < ctx.config.gauges; i++) value.set({ a: `a${i % 10}`, b: `b${i % 100}`, c: `c${i}` }, i + cycle);
      },
    };
  },
});
