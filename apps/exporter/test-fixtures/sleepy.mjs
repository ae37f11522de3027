// A test plugin whose cycles take `sleepMs`; with `ignoreSignal` it does not stop at its deadline.
// It records the highest number of its cycles seen running at once (in a metric, and in
// `reportFile` when given, since a cycle that always times out commits no metric).
import { writeFileSync } from 'node:fs';
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'fixture-sleepy',
  apiVersion: API_VERSION,
  description: 'test fixture: slow cycles',
  configSchema: z
    .object({ sleepMs: z.number().int().min(0), ignoreSignal: z.boolean().default(false), reportFile: z.string().optional() })
    .strict(),
  create(ctx) {
    const max = ctx.metrics.gauge({ name: 'fixture_sleepy_max_concurrency', help: 'Most cycles seen running at once.', accumulate: true });
    const done = ctx.metrics.counter({ name: 'fixture_sleepy_cycles_total', help: 'Cycles that ran to the end.' });
    let running = 0;
    let most = 0;
    return {
      async collect(signal) {
        running++;
        most = Math.max(most, running);
        max.set(most);
        if (ctx.config.reportFile) writeFileSync(ctx.config.reportFile, String(most));
        try {
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, ctx.config.sleepMs);
            if (!ctx.config.ignoreSignal) {
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                reject(signal.reason);
              }, { once: true });
            }
          });
          done.inc();
        } finally {
          running--;
        }
      },
    };
  },
});
