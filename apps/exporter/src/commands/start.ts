import { resolve } from 'node:path';
import { isMusterError, selectShard } from '@muster/core';
import type { FastifyInstance } from 'fastify';
import { createHost } from '../host.js';
import { buildServer, type ReloadOutcome } from '../server.js';
import { loadWebConfig, WebConfigError, type WebSettings } from '../web-config/load.js';
import { VERSION } from '../version.js';
import { reportError } from './report.js';
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

/**
 * `muster start`: validates the whole config, then starts every instance and serves
 * `/metrics`. Stops gracefully on SIGTERM/SIGINT; a second signal forces the exit.
 */
export async function startCommand(options: StartOptions): Promise<number> {
  const host = createHost({ logLevel: options.logLevel ?? 'info' });
  const logger = host.log.logger;
  const sharding = shardFromOptions(options);
  if (sharding === undefined) return 1;
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
  const webFile = options.webConfig === undefined ? plan.server.webConfig : resolve(options.webConfig);
  let web: WebSettings | undefined;
  if (webFile !== undefined) {
    try {
      web = loadWebConfig(webFile);
    } catch (err) {
      const lines = err instanceof WebConfigError ? err.lines : [(err as Error).message];
      process.stderr.write(`muster: web config ${webFile}: ${lines.length} error(s)\n${lines.map((l) => `  ${l}\n`).join('')}`);
      return 1;
    }
  }
  const runtime = host.runtime(plan);
  const configFile = plan.filepath;
  const shard = sharding.shard;
  let reloading: Promise<ReloadOutcome> = Promise.resolve({ ok: true, summary: { kept: [], added: [], changed: [], removed: [] } });
  /** Re-reads the config file; a bad one is refused whole and the running config stays. */
  const reload = (): Promise<ReloadOutcome> => {
    reloading = reloading.then(async (): Promise<ReloadOutcome> => {
      try {
        let next = await host.readPlan(configFile);
        if (shard !== undefined) next = selectShard(next, shard);
        const summary = await runtime.reload(next);
        runtime.recordReload(true);
        logger.info({ ...summary }, 'configuration reloaded');
        return { ok: true, summary };
      } catch (err) {
        runtime.recordReload(false);
        const error = isMusterError(err) ? `${err.message} [${err.code}]` : (err as Error).message;
        logger.error({ error }, 'reload refused: the running configuration stays');
        return { ok: false, error: runtime.redact(error) };
      }
    });
    return reloading;
  };
  let app: FastifyInstance;
  try {
    app = await buildServer({
      runtime,
      logger,
      metricsPath: plan.server.metricsPath,
      requestTimeoutMs: plan.server.requestTimeoutMs,
      version: VERSION,
      ...(web === undefined ? {} : { web }),
      ...(plan.server.reloadEndpoint === true ? { reload } : {}),
    });
    await app.listen({ port, host: listenHost });
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'cannot start the HTTP server');
    return 1;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  logger.info(
    { host: listenHost, port: actualPort, tls: web?.https !== undefined, basicAuth: (web?.users.size ?? 0) > 0, config: plan.filepath, instances: plan.instances.length, version: VERSION },
    'muster is listening',
  );
  for (const i of plan.instances) {
    logger.info(
      {
        collector: i.name,
        plugin: i.plugin.name,
        schedule: i.schedule.text,
        timeoutMs: i.timeoutMs,
        ...(i.timeoutClampedFrom === undefined ? {} : { timeoutClampedFrom: i.timeoutClampedFrom }),
        labels: i.labels,
      },
      'instance configured',
    );
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
    process.on('SIGHUP', () => {
      logger.info('SIGHUP: reloading the configuration');
      void reload();
    });
  });
}
