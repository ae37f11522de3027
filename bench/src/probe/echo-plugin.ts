import { API_VERSION, definePlugin, httpUrl, targetHealthy, z } from '@muster/sdk';

/**
 * A plugin whose cycle does no I/O: one gauge and a verdict. Probing it measures what `/probe`
 * itself costs (HTTP, deadline, commit, render) over the plugin's own work.
 */
export default definePlugin({
  name: 'bench-echo',
  apiVersion: API_VERSION,
  configSchema: z.object({ url: httpUrl() }).strict(),
  target: { key: 'url', example: 'http://127.0.0.1/' },
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'bench_echo_length', help: 'Length of the target URL.' });
    return {
      collect() {
        g.set(ctx.config.url.length);
        return targetHealthy();
      },
    };
  },
});
