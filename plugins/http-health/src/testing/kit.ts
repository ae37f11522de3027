/** Test helpers: servers and harnesses a test file starts, all closed after its tests. */
import { after } from 'node:test';
import { type CycleResult, createHarness, type Harness, type HarnessOptions } from '@muster/testing';
import plugin from '../index.js';
import { type Handler, startServer, type TestServer } from './servers.js';

export interface TestKit {
  /** Starts an HTTP server on loopback. */
  serve(handler: Handler): Promise<TestServer>;
  /** A harness of the plugin with `config` (instance timeout 2 s unless `options` says). */
  harness(config: Record<string, unknown>, options?: HarnessOptions): Promise<Harness>;
  /** One cycle of a new harness with `config`. */
  once(config: Record<string, unknown>): Promise<CycleResult>;
}

/** Registers an `after` hook in the calling test file that closes what the kit started. */
export function testKit(): TestKit {
  const servers: TestServer[] = [];
  const harnesses: Harness[] = [];
  after(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await Promise.all(servers.map((s) => s.close()));
  });
  const harness = async (config: Record<string, unknown>, options: HarnessOptions = {}) => {
    const h = await createHarness(plugin, config, { timeout: '2s', ...options });
    harnesses.push(h);
    return h;
  };
  return {
    async serve(handler) {
      const server = await startServer(handler);
      servers.push(server);
      return server;
    },
    harness,
    once: async (config) => (await harness(config)).cycle(),
  };
}
