// A well-formed plugin with its own defaults (schedule 30s, timeout 5s).
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'fixture',
  apiVersion: API_VERSION,
  configSchema: z
    .object({
      x: z.number().int().default(1),
      token: z.string().optional(),
      url: z.string().optional(),
    })
    .strict(),
  defaults: { schedule: '30s', timeout: '5s' },
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'fixture_value', help: 'The configured x.' });
    return {
      collect() {
        g.set(ctx.config.x);
      },
    };
  },
});
