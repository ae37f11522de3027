import compress from '@fastify/compress';
import type { Runtime } from '@muster/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { pino } from 'pino';
import { renderLanding } from './landing.js';
import { negotiateFormat, scrapeDeadline } from './negotiate.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly runtime: Runtime;
  readonly logger: pino.Logger;
  readonly metricsPath: string;
  readonly requestTimeoutMs: number;
  readonly version: string;
}

/**
 * The HTTP face of muster: `GET <metricsPath>` (text 0.0.4 or OpenMetrics, gzip when asked,
 * `?collector=NAME` for one instance's series), `/healthz`, `/readyz` and a landing page at `/`.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { runtime, metricsPath } = options;
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    bodyLimit: 64 * 1024,
  });
  await app.register(compress, { global: false, encodings: ['gzip'], threshold: 1024 });

  app.get<{ Querystring: { collector?: string } }>(metricsPath, async (request, reply) => {
    const format = negotiateFormat(request.headers.accept);
    const collector = request.query.collector;
    if (collector !== undefined && !runtime.instances.some((i) => i.name === collector)) {
      return reply.code(404).type('text/plain; charset=utf-8').send(`no instance named "${collector}"\n`);
    }
    const deadlineMs = scrapeDeadline(request.headers['x-prometheus-scrape-timeout-seconds']);
    const exposition = await runtime.exposition(format, {
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
      ...(collector === undefined ? {} : { collector }),
    });
    reply.header('cache-control', 'no-store').type(exposition.contentType);
    return reply.compress(exposition.body);
  });

  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'));

  app.get('/readyz', async (_request, reply) => {
    const pending = runtime.pending.map((i) => i.name);
    const ready = runtime.ready;
    return reply.code(ready ? 200 : 503).send({ ready, pending });
  });

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderLanding(runtime, metricsPath, options.version)),
  );

  return app;
}
