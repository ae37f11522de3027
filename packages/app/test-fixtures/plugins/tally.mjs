// A small collector plugin for the tests: writes its configured value and counts its cycles.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

/** Instance names whose collector was closed, in order (read by the tests). */
export const closed = [];

export default definePlugin({
  name: 'tally',
  apiVersion: API_VERSION,
  configSchema: z.object({ value: z.number().default(1), token: z.string().optional() }).strict(),
  defaults: { schedule: '1h', timeout: '2s' },
  create(ctx) {
    const value = ctx.metrics.gauge({ name: 'tally_value', help: 'The configured value.' });
    const cycles = ctx.metrics.counter({ name: 'tally_cycles_total', help: 'Cycles run.' });
    return {
      collect() {
        value.set(ctx.config.value);
        cycles.inc();
      },
      close() {
        closed.push(ctx.name);
      },
    };
  },
});
