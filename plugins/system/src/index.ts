/**
 * `@muster/plugin-system`: CPU usage, memory, load average and uptime of the host muster runs
 * on. It is the worked example of the plugin author's guide: README.md walks through this file.
 *
 * @packageDocumentation
 */
import { arch, hostname, loadavg, platform, release, uptime } from 'node:os';
import { API_VERSION, definePlugin } from '@muster/sdk';
import { configSchema } from './config.js';
import { type CpuTimes, cpuUsage, readCpuTimes } from './cpu.js';
import { readMemory } from './memory.js';
import { declareMetrics } from './metrics.js';

export { configSchema, type SystemConfig } from './config.js';

export default definePlugin({
  name: 'system',
  apiVersion: API_VERSION,
  description: 'CPU usage, memory, load average and uptime of the host muster runs on.',
  configSchema,
  defaults: { schedule: '15s', timeout: '5s' },
  create(ctx) {
    // Declare every metric once, here; ctx.config is already validated and typed by configSchema.
    const m = declareMetrics(ctx.metrics, ctx.config);
    // The collector's only state. CPU usage is a rate, so each cycle compares the CPU times with
    // the previous cycle's reading. The first cycle has none and measures since boot.
    let previous: CpuTimes[] | undefined;

    return {
      async collect(signal) {
        // I/O first, with the cycle's signal: at the deadline the read stops, collect rejects,
        // the cycle fails and commits nothing, and `previous` is left for the next cycle.
        const memory = m.memory ? await readMemory(signal) : undefined;

        // Everything below is current state: muster empties these metrics before each cycle,
        // so a cycle writes every series it wants to see, and one it skips vanishes.
        const current = readCpuTimes();
        const usage = cpuUsage(previous, current);
        previous = current;
        // A value that cannot be told is left out, never written as a misleading 0.
        if (usage.total !== undefined) m.cpuUsage.set(usage.total);
        for (const [cpu, ratio] of usage.perCpu.entries()) {
          // One series per logical CPU: the label is bounded by the CPU count.
          if (ratio !== undefined) m.cpuCoreUsage?.set({ cpu }, ratio);
        }
        m.cpus.set(current.length);
        if (m.memory && memory) {
          for (const state of ['used', 'available', 'total'] as const) m.memory.set({ state }, memory[state]);
        }
        if (m.load) {
          const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
          m.load.load1.set(load1);
          m.load.load5.set(load5);
          m.load.load15.set(load15);
        }
        m.uptime.set(uptime());
        m.info.set({ hostname: hostname(), platform: platform(), arch: arch(), release: release() });
      },
    };
  },
});
