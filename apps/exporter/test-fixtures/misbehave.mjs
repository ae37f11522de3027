// A test plugin that misbehaves as plugins really do, by `mode`:
// - stray-rejection: starts two requests and awaits them one after the other; the second
//   rejects while the first is awaited (`const a = get(x); const b = get(y); await a + await b`);
// - throwing-timer: starts a timer whose callback throws after the cycle ended;
// - busy: computes synchronously for `busyMs`;
// - deaf: sleeps `sleepMs`, ignoring its abort signal;
// - churn: writes `series` gauge series with label values never seen before, every cycle;
// - squat: declares muster's own `process_resident_memory_bytes`;
// - hog: allocates memory until something stops it.
// It records the most collect() calls of one instance name seen running at once in `reportFile`
// (module state: it survives reloads of the instance), and writes `startedFile` when a busy
// loop begins.
import { writeFileSync } from 'node:fs';
import { API_VERSION, definePlugin, z } from '@muster/sdk';

const active = new Map();
const most = new Map();

export default definePlugin({
  name: 'fixture-misbehave',
  apiVersion: API_VERSION,
  description: 'test fixture: a plugin that misbehaves',
  configSchema: z
    .object({
      mode: z.enum(['ok', 'stray-rejection', 'throwing-timer', 'busy', 'deaf', 'churn', 'squat', 'hog']),
      busyMs: z.number().int().min(0).default(0),
      sleepMs: z.number().int().min(0).default(0),
      series: z.number().int().min(0).default(0),
      generation: z.number().int().default(0),
      reportFile: z.string().optional(),
      startedFile: z.string().optional(),
    })
    .strict(),
  create(ctx) {
    const c = ctx.config;
    const cycles = ctx.metrics.counter({ name: 'fixture_misbehave_cycles_total', help: 'Cycles that ran to the end.' });
    if (c.mode === 'squat') ctx.metrics.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory, says the plugin.' });
    const churn = ctx.metrics.gauge({ name: 'fixture_misbehave_churn', help: 'A series per label value, new every cycle.', labelNames: ['id'] });
    let round = 0;
    const get = (ms, fail) =>
      new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error('backend b failed')) : resolve(1)), ms));
    return {
      async collect() {
        const name = ctx.name;
        active.set(name, (active.get(name) ?? 0) + 1);
        most.set(name, Math.max(most.get(name) ?? 0, active.get(name)));
        if (c.reportFile) writeFileSync(c.reportFile, String(most.get(name)));
        try {
          if (c.mode === 'stray-rejection') {
            const a = get(100, false);
            const b = get(5, true);
            cycles.inc((await a) + (await b));
            return;
          }
          if (c.mode === 'throwing-timer') {
            setTimeout(() => {
              throw new Error('a late timer callback failed');
            }, 5);
          } else if (c.mode === 'busy') {
            if (c.startedFile) writeFileSync(c.startedFile, String(Date.now()));
            const end = performance.now() + c.busyMs;
            while (performance.now() < end) {
              // computing
            }
          } else if (c.mode === 'hog') {
            const kept = [];
            for (;;) kept.push(new Array(1_000_000).fill(kept.length));
          } else if (c.mode === 'deaf') {
            await new Promise((resolve) => setTimeout(resolve, c.sleepMs));
          } else if (c.mode === 'churn') {
            const prefix = `round-${round++}-a-label-value-long-enough-to-weigh-`;
            for (let i = 0; i < c.series; i++) churn.set({ id: `${prefix}${i}` }, i);
          }
          cycles.inc();
        } finally {
          active.set(name, active.get(name) - 1);
        }
      },
    };
  },
});
