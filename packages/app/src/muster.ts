import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AppMetrics,
  type configFileSchema,
  Host,
  type Plan,
  type ReloadOutcome,
  type Runtime,
  type ScrapeRequest,
  type ScrapeResponse,
} from '@muster/core';
import type { Logger, z } from '@muster/sdk';
import { checkMusterOptions } from './check-options.js';
import { HttpMetrics, type HttpMetricsOptions } from './http-metrics.js';
import { consoleLogger } from './logger.js';

/** This package's version: `muster_build_info{version}` of an embedded muster. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

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
   * `{ 'http-health': '@muster/plugin-http-health' }` or `STANDARD_PLUGINS`. Default none:
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
  /** Where muster logs (`options.logger`), with the config's secrets redacted from every line. */
  readonly logger: Logger;
  readonly #host: Host;
  #loading: Promise<Plan> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: MusterOptions = {}) {
    checkMusterOptions(options as Record<string, unknown>);
    const cwd = resolve(options.cwd ?? process.cwd());
    const resolveFrom = options.resolveFrom === undefined ? [] : [String(options.resolveFrom)];
    this.#host = new Host({
      logger: options.logger ?? consoleLogger(),
      version: VERSION,
      builtins: options.builtins ?? {},
      resolveFrom: [...resolveFrom, pathToFileURL(join(cwd, 'package.json')).href, import.meta.url],
      config: {
        ...(options.configFile === undefined ? { inline: options.config ?? {} } : { file: options.configFile }),
        cwd,
        env: options.env ?? process.env,
      },
    });
    this.logger = this.#host.logger;
    this.runtime = this.#host.runtime;
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
    this.#loading ??= this.#host.readPlan().then((plan) => this.#host.load(plan));
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
    return this.#host.scrape(request);
  }

  /**
   * Reads the config (`configFile`, or the inline `config` with its `${file:…}` values) again and
   * switches to it: unchanged instances keep running, changed ones restart, removed ones stop and
   * their series go. A bad config is refused whole, the running one stays, and the answer says
   * why (secrets redacted). Never rejects; calls made during a reload share the one queued after
   * it. Recorded in `muster_config_last_reload_successful`. A call while {@link load} is under
   * way waits for it; one before any load is refused (`MUSTER_ERR_INVALID_ARGUMENT`), one after
   * {@link close} too (`MUSTER_ERR_SHUTTING_DOWN`): the answer's `error` ends with the code.
   */
  async reload(): Promise<ReloadOutcome> {
    if (this.#loading !== undefined) await this.#loading.catch(() => undefined);
    return this.#host.reload();
  }

  /**
   * Stops scheduling, aborts cycles in progress and closes every collector; a reload under way is
   * waited for and changes nothing, later ones are refused. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#host.close();
    return this.#closing;
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
