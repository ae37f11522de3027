// A test plugin whose module, when imported, starts a timer that throws: an error of the
// plugin's top-level code, before and outside any instance.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

setTimeout(() => {
  throw new Error('a timer started at import failed');
}, 1500);

export default definePlugin({
  name: 'fixture-module-timer',
  apiVersion: API_VERSION,
  description: 'test fixture: a module whose top-level timer throws',
  configSchema: z.object({}).strict(),
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'fixture_module_timer_up', help: 'Always 1.' });
    return { collect: () => g.set(1) };
  },
});
