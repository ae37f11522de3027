// Declares http_health_status, which the http-health plugin owns.
import { API_VERSION, definePlugin, z } from '@muster/sdk';
export default definePlugin({
  name: 'clashing',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'http_health_status', help: 'Mine.' });
    return { collect: () => g.set(1) };
  },
});
