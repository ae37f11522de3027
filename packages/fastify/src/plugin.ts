import { createError, createMuster, isScrape, type Logger, markScrape, type Muster, type MusterOptions, UNMATCHED_ROUTE } from '@muster/app';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Readable } from 'node:stream';

/** Options of the fastify plugin: where to serve the metrics, plus {@link MusterOptions}. */
export interface MusterFastifyOptions extends MusterOptions {
  /** The metrics route; default `/metrics`. */
  readonly path?: string;
  /**
   * An existing `Muster` (from `createMuster()`, e.g. to declare metrics or `@timedMethod`s at
   * module level) instead of creating one from these options. The plugin starts it when the app is
   * ready; closing it stays with you.
   */
  readonly muster?: Muster;
  /** Decorate the app with `app.muster`; default true. Pass false to register a second time. */
  readonly decorate?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The muster this app registered: `app.muster.metrics.counter({...})`, `app.muster.runtime`… */
    muster: Muster;
  }
}

const musterPlugin: FastifyPluginAsync<MusterFastifyOptions> = async (app, options) => {
  const path = options.path ?? '/metrics';
  const decorate = options.decorate ?? true;
  if (options.muster !== undefined && (options.config !== undefined || options.configFile !== undefined)) {
    throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['@muster/fastify', 'pass either "muster" or "config"/"configFile", not both']);
  }
  if (decorate && app.hasDecorator('muster')) {
    throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['@muster/fastify', 'already registered on this app; pass "decorate: false" to register it again (on another path)']);
  }
  const owned = options.muster === undefined;
  const logger = options.logger ?? (app.log.child({ component: 'muster' }) as unknown as Logger);
  const muster = options.muster ?? createMuster({ ...options, logger });
  // The whole config is validated (and its plugins loaded) now: a bad one fails app.ready().
  await muster.load();
  if (decorate) app.decorate('muster', muster);

  app.get<{ Querystring: { collector?: string | string[] } }>(path, async (request, reply) => {
    markScrape(reply.raw);
    const answer = await muster.scrape({
      accept: request.headers.accept,
      acceptEncoding: request.headers['accept-encoding'],
      scrapeTimeout: request.headers['x-prometheus-scrape-timeout-seconds'],
      collector: request.query.collector,
    });
    // The committed body is shared between scrapes: sent piece by piece, never joined.
    const body = answer.buffers.length === 1 ? answer.buffers[0] : Readable.from(answer.buffers, { objectMode: false });
    return reply.code(answer.status).headers(answer.headers).send(body);
  });

  const http = muster.http;
  if (http !== undefined) {
    // Route templates only (`/users/:id`); a request no route matched is "(unmatched)".
    app.addHook('onResponse', async (request, reply) => {
      if (isScrape(reply.raw)) return;
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      http.observe({ method: request.method, route, statusCode: reply.statusCode }, reply.elapsedTime / 1000);
    });
  }

  // Scheduled plugin instances run once the app is ready, and stop when it closes.
  app.addHook('onReady', async () => {
    await muster.start();
  });
  if (owned) {
    app.addHook('preClose', async () => {
      muster.runtime.pause();
    });
    app.addHook('onClose', async () => {
      await muster.close();
    });
  }
};

/**
 * muster as a fastify plugin: `app.register(muster, { config | configFile, path: '/metrics' })`.
 * Adds the metrics route, counts every request by method, route template and status code, runs
 * the config's plugin instances in-process, and decorates the app with `app.muster`.
 */
export const muster = fp(musterPlugin, { fastify: '5.x', name: '@muster/fastify' });
