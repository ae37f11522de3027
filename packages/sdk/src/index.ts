/**
 * `@muster/sdk`: what a muster collector plugin imports.
 *
 * @packageDocumentation
 */
export { z } from 'zod';
export {
  COLLECT_ERROR_REASONS,
  CollectError,
  type CollectErrorReason,
  errorChain,
  errorCodes,
  isCollectError,
  TRANSPORT_ERROR_REASONS,
  type TransportErrorReason,
  transportErrorReason,
  transportReasonOfCode,
} from './errors.js';
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, secretForms } from './redact.js';
export { buckets, duration, httpUrl, parseDuration, underDeadline } from './schemas.js';
export { createHttpClient, type Got, type HttpClientOptions } from './http.js';
export { type LogFn, type Logger, silentLogger } from './logger.js';
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  Labels,
  MetricFactory,
  MetricOptions,
  StateSet,
  StateSetOptions,
  Summary,
  SummaryOptions,
} from './metrics.js';
export {
  configForTarget,
  isTargetVerdict,
  type TargetSupport,
  type TargetVerdict,
  targetHealthy,
  targetKeys,
  targetUnhealthy,
  VERDICT_REASON,
} from './target.js';
export {
  API_VERSION,
  type Collector,
  type CollectorContext,
  definePlugin,
  PLUGIN_MARK,
  type Plugin,
  type PluginDefaults,
  type PluginDefinition,
} from './plugin.js';
