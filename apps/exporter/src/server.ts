import type { Host } from '@muster/core';
import { Readable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { pino } from 'pino';
import { answerWrongMethods } from './method-not-allowed.js';
import { registerProbeRoute } from './probe-route.js';
import { registerReloadRoute } from './reload-route.js';
import { lazySchemaCompilers } from './schema-compilers.js';
import { registerStatusPage } from './status/routes.js';
import type { LiveWebConfig } from './web-config/live.js';

/**
 * Sends buffers one after the other without joining them: the committed body is shared between
 * scrapes and never copied (copying megabytes per scrape keeps the garbage collector busy).
 */
function sendBuffers(reply: FastifyReply, buffers: readonly Buffer[]): FastifyReply {
  const parts = buffers.filter((b) => b.length > 0);
  if (parts.length <= 1) return reply.send(parts[0] ?? Buffer.alloc(0));
  return reply.send(Readable.from(parts, { objectMode: false }));
}

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Core's host: `/metrics` is its scrape, `/probe` and the status pages read its runtime. */
  readonly host: Host;
  readonly logger: pino.Logger;
  readonly metricsPath: string;
  readonly requestTimeoutMs: number;
  readonly version: string;
  /** TLS, client certificates, basic auth, headers and rate limit from a web config file, followed as it changes. */
  readonly web?: LiveWebConfig;
  /** Serves `POST /-/reload` with the host's reload (`server.reloadEndpoint`). */
  readonly reloadEndpoint?: boolean;
}

/**
 * The HTTP face of muster: `GET <metricsPath>` (text 0.0.4 or OpenMetrics, gzip when asked,
 * `?collector=NAME` for one instance's series), `/healthz`, `/readyz` and a status page at `/` (with `/api/status`).
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { host, metricsPath } = options;
  const runtime = host.runtime;
  // The web config's code (TLS, bcrypt basic auth) loads only when a web config is given.
  const web = options.web === undefined ? undefined : { live: options.web, hooks: await import('./web-config/hooks.js') };
  const app = Fastify({
    ...(web === undefined ? {} : web.hooks.webServerOptions(web.live)),
    schemaController: { compilersFactory: lazySchemaCompilers() },
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    bodyLimit: 64 * 1024,
  }) as unknown as FastifyInstance;
  answerWrongMethods(app);
  if (web !== undefined) web.hooks.applyWebConfig(app, web.live);
  // On shutdown, answers still in flight close their connection, so that closing the server
  // does not wait for kept-alive connections to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  if (options.reloadEndpoint === true) registerReloadRoute(app, host.reload);

  // Every byte of the answer comes from core's scrape(), as in every embedding host.
  app.get<{ Querystring: { collector?: string | string[] } }>(metricsPath, async (request, reply) => {
    const answer = await host.scrape({
      accept: request.headers.accept,
      acceptEncoding: request.headers['accept-encoding'],
      scrapeTimeout: request.headers['x-prometheus-scrape-timeout-seconds'],
      collector: request.query.collector,
    });
    return sendBuffers(reply.code(answer.status).headers(answer.headers), answer.buffers);
  });

  // Many targets from the scraper's service discovery: one check per GET /probe?module=M&target=T.
  registerProbeRoute(app, runtime);

  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'));

  app.get('/readyz', async (_request, reply) => {
    const pending = runtime.pending.map((i) => i.name);
    const ready = runtime.ready;
    return reply.code(ready ? 200 : 503).send({ ready, pending });
  });

  // The status page at `/`, its data at `/api/status` and its assets under `/status/`.
  registerStatusPage(app, { runtime, metricsPath, version: options.version });

  return app;
}
