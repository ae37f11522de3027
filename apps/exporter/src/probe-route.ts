import { isMusterError, type Runtime } from '@muster/core';
import type { FastifyInstance } from 'fastify';

type Param = string | string[] | undefined;

const first = (value: Param): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Seconds in `X-Prometheus-Scrape-Timeout-Seconds` as milliseconds, when it holds a positive number. */
function scrapeTimeoutMs(header: string | string[] | undefined): number | undefined {
  const seconds = Number(first(header));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * `GET /probe?module=M&target=T`: one check of target T with module M, as blackbox_exporter
 * answers it. A target that fails its check is a 200 with `muster_probe_success 0`; an unknown
 * module, a missing target or a refused target is a 400 with a one-line reason. The web config
 * (TLS, basic auth, rate limit) applies as to every route.
 */
export function registerProbeRoute(app: FastifyInstance, runtime: Runtime): void {
  app.get<{ Querystring: { module?: Param; target?: Param } }>('/probe', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const answer = await runtime.prober.probe(first(request.query.module), first(request.query.target), {
        scrapeTimeoutMs: scrapeTimeoutMs(request.headers['x-prometheus-scrape-timeout-seconds']),
      });
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(answer.body);
    } catch (err) {
      if (!isMusterError(err) || !err.code.startsWith('MUSTER_ERR_PROBE_')) throw err;
      return reply.code(400).type('text/plain; charset=utf-8').send(`${err.message} [${err.code}]\n`);
    }
  });
}
