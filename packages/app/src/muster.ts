import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AppMetrics,
  createError,
  buildPlan,
  type configFileSchema,
  createCoreContainer,
  type Plan,
  PluginLoader,
  Runtime,
  readPlan,
  type ScrapeRequest,
  type ScrapeResponse,
  scrape,
} from '@muster/core';
import type { Logger, z } from '@muster/sdk';
import { HttpMetrics, type HttpMetricsOptions } from './http-metrics.js';
import { consoleLogger } from './logger.js';

/** This package's version: `muster_build_info{version}` of an embedded muster. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * muster's own plugins by short name, for {@link MusterOptions.builtins}. A short name works only
 * when the app has the package installed: `npm install @muster/plugin-http-health`.
 */
export const STANDARD_PLUGINS: Readonly<Record<string, string>> = {
  'http-health': '@muster/plugin-http-health',
  jenkins: '@muster/plugin-jenkins',
  system: '@muster/plugin-system',
  postgres: '@muster/plugin-postgres',
};

/**
 * An inline muster config: the shape of `muster.yaml` (`defaults`, `plugins`). Its `server`
 * block is accepted and ignored: the app owns its server.
 */
export type MusterConfig = z.input<typeof configFileSchema>;

/** Options of {@link createMuster}. */
export interface MusterOptions {
  /** Plugin instances to run in-process, written inline. Not with `configFile`. */
  readonly config?: MusterConfig;
  /** A muster config file (`muster.yaml`…), relative to `cwd`. Not with `config`. */
  readonly configFile?: string;
  /**
   * The folder a relative `configFile` is read from; for an inline `config`, the folder its
   * `./plugin` paths and `${file:…}` values are relative to. Default `process.cwd()`.
   */
  readonly cwd?: string;
  /**
   * Plugin short names the config may `use`, each to a package the app installed, e.g.
   * `{ 'http-health': '@muster/plugin-http-health' }` or {@link STANDARD_PLUGINS}. Default none:
   * `use` then takes a package name or a `./path`.
   */
  readonly builtins?: Readonly<Record<string, string>>;
  /**
   * Where plugin packages resolve from, besides the config's folder: pass `import.meta.url` of
   * your app's entry module. Default: `cwd`.
   */
  readonly resolveFrom?: string | URL;
  /** Environment for `${NAME}` in the config; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where muster logs (a pino logger fits); default JSON lines on stderr, `warn` and above. */
  readonly logger?: Logger;
  /**
   * Request metrics: `http_requests_total`, `http_request_duration_seconds` and
   * `app_last_request_timestamp_seconds`. Default on; `false` declares none of them.
   */
  readonly httpMetrics?: boolean | HttpMetricsOptions;
  /** `app_uptime_seconds`, set at every scrape. Default on. */
  readonly uptime?: boolean;
}

/** The file name an inline config is reported under; its folder is `cwd`. */
export const INLINE_CONFIG_NAME = '(inline muster config)';

/** A logger whose messages and string fields pass through `redact` (secrets of the config). */
function redactingLogger(base: Logger, redact: (text: string) => string): Logger {
  const clean = (fields: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? redact(value) : value;
    return out;
  };
  const at =
    (fn: Logger['info']) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      if (typeof a === 'string') fn(redact(a));
      else if (b === undefined) fn(clean(a));
      else fn(clean(a), redact(b));
    };
  return {
    debug: at(base.debug.bind(base)),
    info: at(base.info.bind(base)),
    warn: at(base.warn.bind(base)),
    error: at(base.error.bind(base)),
    child: (fields) => redactingLogger(base.child(fields), redact),
  };
}

/**
 * muster inside an app: one private registry (never prom-client's global one) holding the app's
 * metrics, the request metrics and, once {@link start}ed, the series of the plugin instances the
 * config names, rendered as one exposition with muster's self metrics. Every `Muster` has its own
 * runtime, so two in one process share nothing.
 */
export class Muster {
  /** The core runtime: plugin instances, their store and the self metrics. */
  readonly runtime: Runtime;
  /** The app's own metrics (`counter`, `gauge`, `histogram`, … and `onScrape`). */
  readonly metrics: AppMetrics;
  /** The request metrics, unless `httpMetrics: false`. */
  readonly http: HttpMetrics | undefined;
  readonly logger: Logger;
  readonly #loader: PluginLoader;
  readonly #options: MusterOptions;
  readonly #cwd: string;
  #loading: Promise<Plan> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: MusterOptions = {}) {
    if (options.config !== undefined && options.configFile !== undefined) {
      throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['createMuster', 'pass either "config" or "configFile", not both']);
    }
    this.#options = options;
    this.#cwd = resolve(options.cwd ?? process.cwd());
    let redact: (text: string) => string = (t) => t;
    this.logger = redactingLogger(options.logger ?? consoleLogger(), (text) => redact(text));
    const resolveFrom = options.resolveFrom === undefined ? undefined : String(options.resolveFrom);
    const container = createCoreContainer({
      logger: this.logger,
      build: { version: VERSION },
      plugins: {
        builtins: options.builtins ?? {},
        hostUrls: [
          ...(resolveFrom === undefined ? [] : [resolveFrom]),
          pathToFileURL(join(this.#cwd, 'package.json')).href,
          import.meta.url,
        ],
      },
    });
    this.#loader = container.resolve(PluginLoader);
    this.runtime = container.resolve(Runtime);
    redact = (text) => this.runtime.redact(text);
    this.metrics = this.runtime.appMetrics();
    const http = options.httpMetrics ?? true;
    this.http = http === false ? undefined : new HttpMetrics(this.metrics, http === true ? {} : http);
    if (options.uptime !== false) {
      const uptime = this.metrics.gauge({
        name: 'app_uptime_seconds',
        help: 'Seconds since the app set up muster (about since it started); starts again from 0 when it restarts.',
      });
      const started = performance.now();
      this.metrics.onScrape(() => uptime.set((performance.now() - started) / 1000));
    }
  }

  /** The validated config in force, once {@link load}ed. */
  get plan(): Plan | undefined {
    return this.runtime.plan;
  }

  /** True once every scheduled plugin instance has finished (or failed) its first cycle. */
  get ready(): boolean {
    return this.runtime.ready;
  }

  /**
   * Reads and validates the whole config and loads every plugin it names; nothing runs yet.
   * Rejects with `MUSTER_ERR_CONFIG_INVALID` (every problem with its path) and the like. Calling
   * it again returns the same promise.
   */
  load(): Promise<Plan> {
    this.#loading ??= this.#readPlan().then((plan) => {
      this.runtime.load(plan);
      return plan;
    });
    return this.#loading;
  }

  /** Loads the config if needed, then starts the scheduled plugin instances. Idempotent. */
  async start(): Promise<void> {
    await this.load();
    if (this.#closing === undefined) this.runtime.start();
  }

  /**
   * Answers one scrape with core's `scrape()`, the same function the standalone exporter serves
   * with: text 0.0.4, or OpenMetrics when `accept` asks (q-values and versions honoured), one
   * gzip member when `acceptEncoding` prefers it, 404 for an unknown `collector`. On-scrape
   * instances run first, bounded by `scrapeTimeout`.
   */
  scrape(request: ScrapeRequest = {}): Promise<ScrapeResponse> {
    return scrape(this.runtime, request);
  }

  /** Stops scheduling, aborts cycles in progress and closes every collector. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.runtime.stop();
    return this.#closing;
  }

  #readPlan(): Promise<Plan> {
    const env = this.#options.env ?? process.env;
    if (this.#options.configFile !== undefined) {
      return readPlan(this.#loader, { file: this.#options.configFile, cwd: this.#cwd, env });
    }
    return buildPlan(this.#options.config ?? {}, join(this.#cwd, INLINE_CONFIG_NAME), this.#loader, env);
  }
}

/**
 * Sets up muster in an app. Synchronous, so metrics (and `timed()` decorators) can be declared at
 * module load; call {@link Muster.start} to run the plugin instances of `config` / `configFile`.
 *
 * @example
 * ```ts
 * const muster = createMuster({ config: { plugins: [{ name: 'db', use: 'postgres', config: { … } }] }, builtins: STANDARD_PLUGINS });
 * const jobs = muster.metrics.counter({ name: 'app_jobs_total', help: 'Jobs run.' });
 * await muster.start();
 * ```
 */
export function createMuster(options: MusterOptions = {}): Muster {
  return new Muster(options);
}
