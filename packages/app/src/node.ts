import type { IncomingMessage, ServerResponse } from 'node:http';
import { createError, describeError } from '@muster/core';
import { UNKNOWN_ROUTE } from './http-metrics.js';
import type { Muster } from './muster.js';

/** Express' `next`. */
export type NextFunction = (err?: unknown) => void;

/** A `node:http` request handler that also fits Express (`app.get(path, handler)`, `app.use(handler)`). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;

/** Responses that carry a muster scrape: request metrics never count them. */
const scrapes = new WeakSet<ServerResponse>();

/** Marks `res` as a muster scrape, so request metrics leave it out. */
export function markScrape(res: ServerResponse): void {
  scrapes.add(res);
}

/** True when `res` answers a muster scrape. */
export function isScrape(res: ServerResponse): boolean {
  return scrapes.has(res);
}

/**
 * A handler that answers a scrape with the muster exposition: the app's metrics, the request
 * metrics and the plugin instances' series (text 0.0.4, OpenMetrics when asked, gzip when
 * allowed, `?collector=NAME`). Mount it on your metrics path; it answers GET and HEAD.
 *
 * @example
 * ```ts
 * const metrics = createMetricsHandler(muster);
 * http.createServer((req, res) => (req.url === '/metrics' ? metrics(req, res) : app(req, res)));
 * expressApp.get('/metrics', metrics);
 * ```
 */
export function createMetricsHandler(muster: Muster): NodeHandler {
  return (req, res, next) => {
    markScrape(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const collector = new URL(req.url ?? '/', 'http://localhost').searchParams.getAll('collector');
    muster
      .scrape({
        accept: req.headers.accept,
        acceptEncoding: req.headers['accept-encoding'],
        scrapeTimeout: req.headers['x-prometheus-scrape-timeout-seconds'],
        collector,
      })
      .then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          if (req.method !== 'HEAD') for (const part of answer.buffers) res.write(part);
          res.end();
        },
        (err: unknown) => {
          if (next !== undefined) return next(err);
          muster.logger.error({ err: describeError(err) }, 'cannot render the metrics');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('cannot render the metrics\n');
        },
      );
  };
}

/** Options of {@link requestMetrics}. */
export interface RequestMetricsOptions {
  /**
   * The route template that served a request (`/users/:id`), read when its response finishes;
   * `undefined` leaves the request uncounted. Never return the raw URL: every distinct value is
   * a series. Default: Express' matched route (`req.baseUrl + req.route.path`) when there is
   * one, else {@link UNKNOWN_ROUTE}.
   */
  readonly route?: (req: IncomingMessage, res: ServerResponse) => string | undefined;
}

/** The route Express matched, if it did; else {@link UNKNOWN_ROUTE}. */
export function defaultRoute(req: IncomingMessage): string {
  const express = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
  const path = express.route?.path;
  if (typeof path !== 'string') return UNKNOWN_ROUTE;
  return `${typeof express.baseUrl === 'string' ? express.baseUrl : ''}${path}`;
}

/**
 * Request metrics for `node:http` and Express: call it first thing in your handler (or
 * `app.use()` it) and every response that finishes counts in `http_requests_total` and
 * `http_request_duration_seconds` by method, route and status code, and sets
 * `app_last_request_timestamp_seconds`. Scrapes of muster's metrics handler are not counted;
 * a request seen twice counts once.
 */
export function requestMetrics(muster: Muster, options: RequestMetricsOptions = {}): NodeHandler {
  const http = muster.http;
  if (http === undefined) throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['requestMetrics', 'request metrics are off (httpMetrics: false)']);
  const routeOf = options.route ?? defaultRoute;
  const seen = new WeakSet<IncomingMessage>();
  return (req, res, next) => {
    if (!seen.has(req)) {
      seen.add(req);
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        if (isScrape(res)) return;
        try {
          const route = routeOf(req, res);
          if (route === undefined) return;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          http.observe({ method: req.method ?? 'GET', route, statusCode: res.statusCode }, seconds);
        } catch (err) {
          muster.logger.warn({ err: describeError(err) }, 'request metrics: cannot count a request');
        }
      });
    }
    next?.();
  };
}
