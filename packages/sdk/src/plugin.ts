import type { Got } from 'got';
import type { z } from 'zod';
import type { Logger } from './logger.js';
import type { MetricFactory } from './metrics.js';
import type { TargetSupport, TargetVerdict } from './target.js';

/** The plugin API version this SDK describes. The host refuses plugins built for another. */
export const API_VERSION = 1;

/** Schedule and timeout a plugin suggests for its instances, as written in a config file. */
export interface PluginDefaults {
  /** `15s`, `1m`, a cron expression with seconds (`*\/30 * * * * *`) or `on-scrape`. */
  schedule?: string;
  /** Cycle deadline, e.g. `10s`. */
  timeout?: string;
}

/** What `create` receives: everything one configured instance needs. */
export interface CollectorContext<Config> {
  /** The instance name, unique in the config; the `collector` label of its series. */
  readonly name: string;
  /** The plugin name (`definePlugin({ name })`). */
  readonly plugin: string;
  /** The instance's `config` block, validated and typed by the plugin's schema. */
  readonly config: Config;
  /** Extra labels the operator configured for this instance (already on every series). */
  readonly labels: Readonly<Record<string, string>>;
  /** The instance's cycle deadline in milliseconds. */
  readonly timeoutMs: number;
  /** Declares this instance's metrics. */
  readonly metrics: MetricFactory;
  /** A logger bound to this instance. */
  readonly logger: Logger;
  /**
   * A got instance: no retries, non-2xx answers throw, muster's user agent, and a request
   * timeout a little under `timeoutMs` (10%, at most 500 ms) so a hanging request fails as got's
   * `TimeoutError` inside the cycle. Pass the cycle's `signal` to every request.
   */
  readonly http: Got;
  /**
   * The `User-Agent` muster sends (`muster/<version>`), for plugins that make requests with a
   * client of their own; {@link CollectorContext.http} already sends it.
   */
  readonly userAgent: string;
  /** Aborted when the instance is closed (shutdown or reload). */
  readonly signal: AbortSignal;
}

/** One instance's collector, returned by `create`. */
export interface Collector {
  /**
   * Runs one cycle: read the backend, write this cycle's values. `signal` fires at the
   * instance's deadline; pass it to every I/O call. Throwing or rejecting fails the cycle.
   * Return {@link TargetVerdict} (`targetHealthy()`, `targetUnhealthy('status-503')`) to state
   * the backend's own verdict, exported as `muster_target_healthy` and shown on the status page.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an async collect() returning nothing must still fit.
  collect(signal: AbortSignal): Promise<void | TargetVerdict> | void | TargetVerdict;
  /** Releases pools and sockets. Called once on shutdown or when the instance is removed. */
  close?(): Promise<void> | void;
}

/** A collector plugin: what a plugin module exports as default. */
export interface PluginDefinition<Schema extends z.ZodType = z.ZodType> {
  /** kebab-case and unique: `http-health`, `jenkins`. */
  readonly name: string;
  /** The SDK API version the plugin was written for: {@link API_VERSION}. */
  readonly apiVersion: number;
  /** One line for `muster plugins`. */
  readonly description?: string;
  /** The schema of an instance's `config` block: type, validation and JSON Schema in one. */
  readonly configSchema: Schema;
  /** Schedule and timeout used when neither the instance nor the config's `defaults` set them. */
  readonly defaults?: PluginDefaults;
  /**
   * How a target string (`GET /probe?module=M&target=T`) becomes this plugin's config; without
   * it the plugin cannot be used as a module.
   */
  readonly target?: TargetSupport;
  /**
   * Creates one instance's collector. Declare metrics here; do I/O in `collect`. muster calls it
   * just before the instance's first cycle (not at start-up), and again before the next cycle if
   * it threw.
   */
  create(ctx: CollectorContext<z.output<Schema>>): Collector | Promise<Collector>;
}

/** Marks a plugin definition so hosts can recognise it. */
export const PLUGIN_MARK: unique symbol = Symbol.for('muster.plugin');

/** A plugin definition as returned by {@link definePlugin}. */
export type Plugin<Schema extends z.ZodType = z.ZodType> = PluginDefinition<Schema> & {
  readonly [PLUGIN_MARK]: true;
};

/**
 * Defines a collector plugin. Export the result as the module's default export.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   name: 'hello',
 *   apiVersion: API_VERSION,
 *   configSchema: z.object({ greeting: z.string().default('hi') }),
 *   create(ctx) {
 *     const g = ctx.metrics.gauge({ name: 'hello_length', help: 'Greeting length in characters.' });
 *     return { collect() { g.set(ctx.config.greeting.length); } };
 *   },
 * });
 * ```
 */
export function definePlugin<Schema extends z.ZodType>(
  definition: PluginDefinition<Schema>,
): Plugin<Schema> {
  return Object.freeze({ ...definition, [PLUGIN_MARK]: true as const });
}
