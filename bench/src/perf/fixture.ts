import { Host, type InstancePlan, resolveInstance } from '@muster/core';
import { buildServer } from '@muster/exporter';
import { API_VERSION, definePlugin, type Logger, type Plugin, z } from '@muster/sdk';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import * as prom from 'prom-client';

/** A collector that writes `gauges` series (3 labels) and `histograms` histogram label sets. */
export const seriesPlugin: Plugin = definePlugin({
  name: 'bench-series',
  apiVersion: API_VERSION,
  configSchema: z.object({ gauges: z.number().int().min(0), histograms: z.number().int().min(0).default(0), offset: z.number().default(0) }),
  create(ctx) {
    const value = ctx.metrics.gauge({ name: 'bench_value', help: 'A value.', labelNames: ['a', 'b', 'c'] });
    const latency = ctx.metrics.histogram({ name: 'bench_latency_seconds', help: 'A latency.', labelNames: ['route'] });
    let cycle = 0;
    return {
      async collect() {
        cycle++;
        const { gauges, histograms, offset } = ctx.config;
        for (let i = 0; i < gauges; i++) {
          value.set({ a: `a${i % 10}`, b: `b${i % 100}`, c: `c${offset + i}` }, i + cycle);
          // A collector writing this much yields now and then, as a well-behaved plugin does.
          if (i % 10_000 === 9_999) await new Promise((resolve) => setImmediate(resolve));
        }
        for (let i = 0; i < histograms; i++) latency.observe({ route: `/r${i}` }, (i % 100) / 100);
      },
    };
  },
});

/** A trivial collector: one gauge. */
export const trivialPlugin: Plugin = definePlugin({
  name: 'bench-trivial',
  apiVersion: API_VERSION,
  configSchema: z.object({}).passthrough(),
  create(ctx) {
    const g = ctx.metrics.gauge({ name: 'bench_trivial', help: 'Trivial.' });
    const starts = (globalThis as { __starts?: Map<string, number[]> }).__starts;
    return {
      collect() {
        starts?.get(ctx.name)?.push(performance.now()) ?? starts?.set(ctx.name, [performance.now()]);
        g.set(1);
      },
    };
  },
});

/** An instance plan, resolved as a config file's entry is. */
export function planOf(name: string, plugin: Plugin, config: unknown, schedule = '24h', timeout = '60s'): InstancePlan {
  const resolved = resolveInstance({
    name,
    use: plugin.name,
    plugin,
    entry: { schedule, timeout, onFailure: 'keep', maxSeries: 10_000_000 },
    config: plugin.configSchema.parse(config),
  });
  if (resolved.issues !== undefined) throw new Error(resolved.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return resolved.plan;
}

export const silentLogger = pino({ level: 'silent' });

/** A muster runtime holding `instances`, started (scheduled) or not, with its HTTP server. */
export async function startMuster(instances: InstancePlan[], options: { schedule?: boolean } = {}) {
  const host = new Host({ logger: silentLogger as unknown as Logger, version: 'bench', builtins: {}, resolveFrom: [] });
  const runtime = host.runtime;
  host.load({
    filepath: '(bench)',
    server: { host: '127.0.0.1', port: 0, metricsPath: '/metrics', requestTimeoutMs: 60_000 },
    instances,
    secrets: new Set(),
  });
  await runtime.runOnce();
  const app: FastifyInstance = await buildServer({ host, logger: silentLogger, metricsPath: '/metrics', requestTimeoutMs: 60_000, version: 'bench' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // As `muster start` does: scheduling begins once the server listens.
  if (options.schedule) runtime.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    runtime,
    url: `http://127.0.0.1:${port}/metrics`,
    async close() {
      await app.close();
      await runtime.stop();
    },
  };
}

/** The same series in one plain prom-client registry: the baseline. */
export function promRegistry(instances: number, gaugesPerInstance: number, histograms: number): prom.Registry {
  const registry = new prom.Registry();
  const value = new prom.Gauge({ name: 'bench_value', help: 'A value.', labelNames: ['collector', 'a', 'b', 'c'], registers: [registry] });
  for (let n = 0; n < instances; n++) {
    for (let i = 0; i < gaugesPerInstance; i++) value.set({ collector: `i${n}`, a: `a${i % 10}`, b: `b${i % 100}`, c: `c${i}` }, i);
  }
  if (histograms > 0) {
    const latency = new prom.Histogram({ name: 'bench_latency_seconds', help: 'A latency.', labelNames: ['route'], registers: [registry] });
    for (let i = 0; i < histograms; i++) latency.observe({ route: `/r${i}` }, (i % 100) / 100);
  }
  return registry;
}

/** Median of `runs` timings of `fn` in milliseconds. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
