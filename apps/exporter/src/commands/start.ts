import { hostname } from 'node:os';
import { resolveShard, selectShard } from '@muster/core';
import type { FastifyInstance } from 'fastify';
import { createHost } from '../host.js';
import { buildServer } from '../server.js';
import { VERSION } from '../version.js';
import { reportError } from './report.js';

/** Options of `muster start`. */
export interface StartOptions {
  config?: string;
  port?: string;
  host?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Milliseconds shutdown may take before the process is forced out. */
  gracePeriodMs?: number;
  /** `--shard-index` / `MUSTER_SHARD_INDEX` (default: the ordinal ending the host name). */
  shardIndex?: string;
  /** `--shard-count` / `MUSTER_SHARD_COUNT`: run only this replica's share of the instances. */
  shardCount?: string;
}

/**
 * `muster start`: validates the whole config, then starts every instance and serves
 * `/metrics`. Stops gracefully on SIGTERM/SIGINT; a second signal forces the exit.
 */
export async function startCommand(options: StartOptions): Promise<number> {
  const host = createHost({ logLevel: options.logLevel ?? 'info' });
  const logger = host.log.logger;
  const sharding = resolveShard({ index: options.shardIndex, count: options.shardCount, hostname: process.env.HOSTNAME ?? hostname() });
  if ('error' in sharding) {
    process.stderr.write(`muster: ${sharding.error}\n`);
    return 1;
  }
  let plan: Awaited<ReturnType<typeof host.readPlan>>;
  try {
    plan = await host.readPlan(options.config);
  } catch (err) {
    return reportError(err);
  }
  if (sharding.shard !== undefined) {
    // The whole config was validated above; this replica runs only its share of it.
    const all = plan.instances.length;
    plan = selectShard(plan, sharding.shard);
    const { index, count } = sharding.shard;
    const collectors = plan.instances.map((i) => i.name);
    logger.info({ shard: index, shardCount: count, indexFrom: sharding.indexFrom, instances: collectors.length, of: all, collectors }, 'running one shard of the instances');
  }
  let port = plan.server.port;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`muster: --port: expected a port number from 0 to 65535, found "${options.port}"\n`);
      return 1;
    }
  }
  const listenHost = options.host ?? plan.server.host;
  const runtime = host.runtime(plan);
  let app: FastifyInstance;
  try {
    app = await buildServer({
      runtime,
      logger,
      metricsPath: plan.server.metricsPath,
      requestTimeoutMs: plan.server.requestTimeoutMs,
      version: VERSION,
    });
    await app.listen({ port, host: listenHost });
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'cannot start the HTTP server');
    return 1;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  logger.info({ host: listenHost, port: actualPort, config: plan.filepath, instances: plan.instances.length, version: VERSION }, 'muster is listening');
  for (const i of plan.instances) {
    logger.info({ collector: i.name, plugin: i.plugin.name, schedule: i.schedule.text, timeoutMs: i.timeoutMs, labels: i.labels }, 'instance configured');
  }
  runtime.start();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('shutdown took too long: exiting now');
        process.exit(1);
      }, options.gracePeriodMs ?? 10_000);
      force.unref();
      void (async () => {
        // Order: no new cycles; finish in-flight scrapes (new requests get 503); then abort
        // cycles still running and close every collector.
        runtime.pause();
        await app.close();
        await runtime.stop();
        clearTimeout(force);
        logger.info('stopped');
        resolve(0);
      })();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
