// A plugin that takes targets: the target is its `url`; `expect` is a module setting.
// A url holding "sick" is an unhealthy backend, "slow" takes 300 ms, "hang" never answers.
// globalThis.__targeted counts creates, closes and cycles for the tests.
import { API_VERSION, definePlugin, targetHealthy, targetUnhealthy, z } from '@muster/sdk';

const counts = (globalThis.__targeted ??= { created: 0, closed: 0, cycles: 0 });

export default definePlugin({
  name: 'targeted',
  apiVersion: API_VERSION,
  configSchema: z.object({ url: z.url({ protocol: /^https?$/ }), expect: z.number().int().default(1) }).strict(),
  defaults: { timeout: '5s' },
  target: { key: 'url', example: 'http://127.0.0.1/' },
  create(ctx) {
    counts.created++;
    const g = ctx.metrics.gauge({ name: 'targeted_expect', help: 'The expected value.' });
    return {
      async collect(signal) {
        counts.cycles++;
        const { url } = ctx.config;
        if (url.includes('slow') || url.includes('hang')) {
          await new Promise((resolve, reject) => {
            const timer = url.includes('slow') ? setTimeout(resolve, 300) : undefined;
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(signal.reason);
            });
          });
        }
        g.set(ctx.config.expect);
        return url.includes('sick') ? targetUnhealthy('status-503') : targetHealthy();
      },
      close() {
        counts.closed++;
      },
    };
  },
});
