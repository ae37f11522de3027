// A test plugin: exports one gauge series per item listed by a local HTTP endpoint, so tests can
// make series appear and vanish by changing what the endpoint answers.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'fixture-items',
  apiVersion: API_VERSION,
  description: 'test fixture: one series per item of a JSON list',
  configSchema: z.object({ url: z.url() }).strict(),
  create(ctx) {
    const value = ctx.metrics.gauge({ name: 'fixture_item_value', help: 'Value of each listed item.', labelNames: ['item'] });
    return {
      async collect(signal) {
        const items = await ctx.http.get(ctx.config.url, { signal }).json();
        for (const [item, v] of Object.entries(items)) value.set({ item }, Number(v));
      },
    };
  },
});
