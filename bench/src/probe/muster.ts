import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildPlan, type Runtime } from '@muster/core';
import { buildServer, createCommandContext } from '@muster/exporter';

/** muster's runtime and HTTP server on loopback, holding `modules` (./echo-plugin.js is this folder's). */
export async function startProbeMuster(modules: Record<string, unknown>): Promise<{ runtime: Runtime; base: string; port: number; close(): Promise<void> }> {
  const { host, logger } = createCommandContext({ logLevel: 'silent' });
  host.load(await buildPlan({ modules }, fileURLToPath(new URL('./muster.yaml', import.meta.url)), host.loader, {}));
  const runtime = host.runtime;
  const app = await buildServer({ host, logger, metricsPath: '/metrics', requestTimeoutMs: 60_000, version: 'bench' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    runtime,
    base: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await app.close();
      await runtime.stop();
    },
  };
}
