import type { Plan } from '@muster/core';
import type { FastifyInstance } from 'fastify';
import { createCommandContext } from '../command-context.js';
import { buildServer } from '../server.js';
import { openWebConfig } from '../web-config/open.js';
import type { LiveWebConfig } from '../web-config/live.js';
import { VERSION } from '../version.js';
import { logConfiguredInstances } from './instance-log.js';
import { shardFromOptions } from './shard-option.js';

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
  /** `--web-config FILE`: TLS, client certificates, basic auth (overrides `server.webConfig`). */
  webConfig?: string;
}

/** Reports a start-up error (the report's YAML locator is loaded only when there is one to report). */
async function reportError(err: unknown): Promise<number> {
  return (await import('./report.js')).reportError(err);
}

/**
 * `muster start`: validates the whole config, then starts every instance and serves
 * `/metrics`. Stops gracefully on SIGTERM/SIGINT; a second signal forces the exit.
 */
export async function startCommand(options: StartOptions): Promise<number> {
  const sharding = shardFromOptions(options);
  if (sharding === undefined) return 1;
  const shard = sharding.shard;
  // The whole config is validated; this replica runs only its share of it, at start and at each reload.
  const { host, logger } = createCommandContext({
    logLevel: options.logLevel ?? 'info',
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(shard === undefined ? {} : { shard }),
  });
  const runtime = host.runtime;
  let whole: Plan;
  try {
    whole = await host.readPlan();
  } catch (err) {
    return reportError(err);
  }
  let port = whole.server.port;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`muster: --port: expected a port number from 0 to 65535, found "${options.port}"\n`);
      return 1;
    }
  }
  const listenHost = options.host ?? whole.server.host;
  let web: LiveWebConfig | undefined;
  try {
    web = await openWebConfig(whole, options.webConfig, { logger, record: (ok) => runtime.recordWebConfigReload(ok) });
  } catch (err) {
    return reportError(err);
  }
  const plan = host.load(whole);
  if (shard !== undefined) {
    const collectors = plan.instances.map((i) => i.name);
    logger.info(
      { shard: shard.index, shardCount: shard.count, indexFrom: sharding.indexFrom, instances: collectors.length, of: whole.instances.length, collectors },
      'running one shard of the instances',
    );
  }
  // Errors plugin code leaves unhandled are contained to their instance; one outside any
  // plugin is muster's own bug: it says so and exits (70, EX_SOFTWARE), its state unknown.
  runtime.containErrors(() => {
    process.exitCode = 70;
    setImmediate(() => process.exit(70));
  });
  let app: FastifyInstance;
  try {
    app = await buildServer({
      host,
      logger,
      metricsPath: plan.server.metricsPath,
      requestTimeoutMs: plan.server.requestTimeoutMs,
      version: VERSION,
      ...(web === undefined ? {} : { web }),
      reloadEndpoint: plan.server.reloadEndpoint === true,
    });
    await app.listen({ port, host: listenHost });
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'cannot start the HTTP server');
    return 1;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  logger.info(
    { host: listenHost, port: actualPort, tls: web?.current.tls !== undefined, basicAuth: web?.auth.enabled ?? false, config: plan.filepath, instances: plan.instances.length, version: VERSION },
    'muster is listening',
  );
  logConfiguredInstances(logger, plan.instances);
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
      const grace = options.gracePeriodMs ?? 10_000;
      const force = setTimeout(() => {
        logger.error('shutdown took too long: exiting now');
        process.exit(1);
      }, grace);
      force.unref();
      void (async () => {
        // Order: no new cycles; in-flight scrapes get half the grace period to finish (new requests
        // get 503); then cycles still running are aborted (an on-scrape cycle a scrape waits on
        // included, so that scrape is answered with what the store holds) and collectors close.
        runtime.pause();
        const closed = app.close();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((done) => (timer = setTimeout(done, grace / 2)))]);
        clearTimeout(timer);
        // A reload still reading the config is waited for and changes nothing; later ones are refused.
        await host.close();
        await closed;
        clearTimeout(force);
        logger.info('stopped');
        resolve(0);
      })();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    // A reload re-reads the config file; a bad one is refused whole and the running config stays.
    // Requests (SIGHUP, POST /-/reload) made during a reload share the one queued after it.
    process.on('SIGHUP', () => {
      logger.info('SIGHUP: reloading the configuration');
      void host.reload();
    });
  });
}
