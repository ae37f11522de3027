// A plugin that takes targets: the target is its `url`; `expect` is a module setting.
import { API_VERSION, definePlugin, targetHealthy, targetUnhealthy, z } from '@muster/sdk';

export default definePlugin({
  name: 'targeted',
  apiVersion: API_VERSION,
  configSchema: z.object({ url: z.url(), expect: z.number().int().default(1) }).strict(),
  defaults: { timeout: '5s' },
  target: { key: 'url', example: 'http://127.0.0.1/' },
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'targeted_expect', help: 'The expected value.' });
    return {
      collect() {
        g.set(ctx.config.expect);
        return ctx.config.url.includes('sick') ? targetUnhealthy('status-503') : targetHealthy();
      },
    };
  },
});
