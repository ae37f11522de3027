/**
 * `@muster/core`: config, plugin loading, scheduling, running, metric store and exposition.
 * Hosts (the exporter app, the test kit) build a container with {@link createCoreContainer},
 * read a {@link Plan} with {@link readPlan}, and drive a {@link Runtime}.
 *
 * @packageDocumentation
 */
export { readPlan, type ReadPlanOptions } from './config/read.js';
export { loadConfigFile, SEARCH_PLACES, type RawConfig } from './config/load.js';
export { buildPlan, type ConfigIssue, issuesFromZod } from './config/validate.js';
export { describeValue, type IssueContext, suggestKey } from './config/issues.js';
export { formatPath } from './config/path.js';
export type { InstancePlan, ModulePlan, Plan, ServerPlan } from './config/plan.js';
export { configFileSchema, DEFAULTS, ON_FAILURE, type OnFailure } from './config/schema.js';
export { parseSchedule, type Schedule } from './config/schedule.js';
export { type ProbeAnswer, type ProbeOptions, Prober, probeDeadlineMs } from './probe/prober.js';
export type { ProbeRecord } from './probe/recent.js';
export type { InstanceSettings } from './config/plan.js';
export { type InstanceInput, type ResolveIssue, type Resolved, resolveInstance } from './config/resolve-instance.js';
export { MAX_SHARD_COUNT, resolveShard, type ShardInput, type ShardResolution, type ShardSpec, selectShard, shardOf, shardWeight } from './config/shard.js';
export { createCoreContainer, type CoreOptions } from './container.js';
export { createError, createIssuesError, describeError, ERROR_CODES, type ErrorCode, isMusterError, MusterError } from './errors.js';
export { APP_RESERVED_PREFIXES, AppMetrics } from './metrics/app-metrics.js';
export {
  acceptsGzip,
  MAX_ACCEPT_LENGTH,
  negotiate,
  negotiateFormat,
  type NegotiatedFormat,
} from './metrics/exposition/negotiate.js';
export { SCRAPE_MARGIN_MS, scrapeDeadline } from './metrics/exposition/scrape-deadline.js';
export { GZIP_THRESHOLD_BYTES, scrape, type ScrapeRequest, type ScrapeResponse, type ScrapeSource } from './metrics/exposition/scrape.js';
export { CONTENT_TYPES, type ExpositionFormat } from './metrics/exposition/format.js';
export { PluginLoader, type LoadedPlugin } from './plugins/loader.js';
export type { PluginResolveOptions } from './plugins/resolve.js';
export { createRedactor, REDACTED } from './redact.js';
export { HIDDEN_USERINFO, hideUserinfo } from './hide-userinfo.js';
export { FAILURE_REASONS, type FailureReason, type InstanceHealth } from './runtime/health.js';
export { CycleHistory, type CycleRecord, HISTORY_SIZE } from './runtime/history.js';
export type { Instance } from './runtime/instance.js';
export type { Exposition } from './metrics/exposition/compose.js';
export { type ExpositionOptions, type ReloadSummary, Runtime } from './runtime/runtime.js';
export { type BuildInfo, SELF_SERIES_PER_INSTANCE } from './runtime/self-metrics.js';
export { phaseMs } from './runtime/phase.js';
export { RUN_OPTION_DEFAULTS, SELF_METRICS, type SelfMetricsLevel } from './config/run-options.js';
export { TOKENS } from './tokens.js';
