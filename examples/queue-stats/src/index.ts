import { API_VERSION, CollectError, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'queue-stats',                     // kebab-case, unique among plugins
  apiVersion: API_VERSION,                 // muster refuses plugins written for another API
  description: 'Depth of each work queue, from its HTTP API.',
  configSchema: z.object({ url: z.url(), queues: z.array(z.string()).max(50).optional() }).strict(),
  defaults: { schedule: '30s', timeout: '10s' },
  create(ctx) {
    // Declare metrics once, here. No I/O in create.
    const depth = ctx.metrics.gauge({ name: 'queue_depth', help: 'Messages waiting, by queue.', labelNames: ['queue'] });
    const polls = ctx.metrics.counter({ name: 'queue_polls_total', help: 'Times the API was read.' });
    return {
      async collect(signal) {
        const body = await ctx.http.get(ctx.config.url, { signal }).json<unknown>();
        if (typeof body !== 'object' || body === null) throw new CollectError('bad-response', 'expected a JSON object');
        for (const [queue, n] of Object.entries(body)) {
          if (typeof n !== 'number') continue;
          if (ctx.config.queues && !ctx.config.queues.includes(queue)) continue;
          depth.set({ queue }, n);
        }
        polls.inc();
      },
    };
  },
});
