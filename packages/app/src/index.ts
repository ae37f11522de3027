/**
 * `@muster/app`: muster inside your own Node.js app, without a framework. One registry per
 * {@link createMuster} for the app's metrics, request metrics and muster's collector plugins run
 * in-process, served as one exposition by {@link createMetricsHandler}. For fastify, use
 * `@muster/fastify`, which builds on this package.
 *
 * @packageDocumentation
 */
export { createError, type ErrorCode, isMusterError, MusterError } from '@muster/core';
export type { AppMetrics, ExpositionFormat, Plan, ReloadOutcome, ReloadSummary, Runtime } from '@muster/core';
export { INLINE_CONFIG_NAME, STANDARD_PLUGINS } from '@muster/core';
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  Labels,
  Logger,
  MetricFactory,
  MetricOptions,
  StateSet,
  StateSetOptions,
  Summary,
  SummaryOptions,
} from '@muster/sdk';
export {
  DEFAULT_DURATION_BUCKETS,
  HttpMetrics,
  type HttpMetricsOptions,
  type ObservedRequest,
  OTHER_METHOD,
  UNKNOWN_ROUTE,
  UNMATCHED_ROUTE,
} from './http-metrics.js';
export { consoleLogger, LOG_LEVELS, type LogLevel } from './logger.js';
export { createMuster, Muster, type MusterConfig, type MusterOptions, VERSION } from './muster.js';
export {
  acceptsGzip,
  GZIP_THRESHOLD_BYTES,
  negotiate,
  negotiateFormat,
  SCRAPE_MARGIN_MS,
  type ScrapeRequest,
  type ScrapeResponse,
  scrapeDeadline,
} from '@muster/core';
export {
  createMetricsHandler,
  defaultRoute,
  isScrape,
  markScrape,
  type NextFunction,
  type NodeHandler,
  type RequestMetricsOptions,
  requestMetrics,
} from './node.js';
export { type MethodTimer, type Timer, timed, timedMethod } from './timed.js';
