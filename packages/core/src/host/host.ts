import { join, resolve } from 'node:path';
import type { Logger } from '@muster/sdk';
import type { Plan } from '../config/plan.js';
import { readPlan } from '../config/read.js';
import { buildPlan } from '../config/validate.js';
import { createCoreContainer } from '../container.js';
import { createError, isMusterError } from '../errors.js';
import { type ScrapeRequest, type ScrapeResponse, scrape } from '../metrics/exposition/scrape.js';
import { PluginLoader } from '../plugins/loader.js';
import { type ReloadSummary, Runtime } from '../runtime/runtime.js';
import { redactingLogger } from './redacting-logger.js';
import { coalesced } from './reload-queue.js';

/** The file name an inline config is reported under; its folder is the config's `cwd`. */
export const INLINE_CONFIG_NAME = '(inline muster config)';

/** Where a {@link Host} reads its config, at load and at every reload. */
export interface HostConfig {
  /** A config file, relative to `cwd`; when neither it nor `inline` is given, one is searched for in `cwd`. */
  readonly file?: string;
  /** The config as an object (the shape of `muster.yaml`), instead of a file. */
  readonly inline?: unknown;
  /** The folder a relative `file` is read from and an inline config's `./paths` are relative to; default the current folder. */
  readonly cwd?: string;
  /** Environment for `${NAME}` in the config; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options of {@link Host}. */
export interface HostOptions {
  /** Where core and the plugins log; every line passes through the redactor of the plan in force. */
  readonly logger: Logger;
  /**
   * True when `logger` writes through a sink that already passes each whole line through
   * {@link Host.redact} (the exporter's pino stream, which its HTTP server writes to as well):
   * the host then uses it as it is. Default false: the host wraps it so that messages and string
   * fields are redacted.
   */
  readonly loggerRedactsLines?: boolean;
  /** The host's version: `muster_build_info{version}` and the plugins' user agent. */
  readonly version: string;
  /** Plugin short names the config may `use`, each to a package name (e.g. `STANDARD_PLUGINS`). */
  readonly builtins: Readonly<Record<string, string>>;
  /** Module URLs plugin packages resolve from, besides the config's folder (the host's `import.meta.url`). */
  readonly resolveFrom: readonly string[];
  /** Where the config comes from; default: searched for in the current folder. */
  readonly config?: HostConfig;
  /** Narrows every plan before it runs, at load and at reload (the exporter keeps one shard's instances). */
  readonly select?: (plan: Plan) => Plan;
}

/** What a reload attempt came to: what changed, or why the file was refused (redacted). */
export type ReloadOutcome = { readonly ok: true; readonly summary: ReloadSummary } | { readonly ok: false; readonly error: string };

/**
 * The one composition of core every host builds on (the `muster` exporter, `@muster/app`):
 * core's container (logger, build facts, where plugins resolve from), the plugin loader, the
 * config read and validated into a plan, the runtime that runs it, a logger that redacts the
 * plan's secrets, config reload and the scrape. A host adds only its own face: a command line and
 * fastify server, or an embedding app's handler. Two hosts in one process share nothing.
 */
export class Host {
  /** Loads plugins by built-in short name, package name or path. */
  readonly loader: PluginLoader;
  /** The runtime: instances, their schedules, the store and the self metrics. */
  readonly runtime: Runtime;
  /** The logger core and the plugins write to: `options.logger` with the plan's secrets redacted. */
  readonly logger: Logger;
  /**
   * Reads the config again and switches to it; a bad file is refused whole and the running plan
   * stays. Never rejects. Calls made during a reload share the one queued after it.
   */
  readonly reload: () => Promise<ReloadOutcome>;
  readonly #config: HostConfig;
  readonly #select: (plan: Plan) => Plan;
  /** The reload under way, if any (what {@link close} waits for). */
  #inflight: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(options: HostOptions) {
    this.#config = options.config ?? {};
    this.#select = options.select ?? ((plan) => plan);
    // Until the runtime exists (while the container builds it) there is no plan, so nothing to redact.
    const redact = (text: string): string => (this.runtime === undefined ? text : this.runtime.redact(text));
    this.logger = options.loggerRedactsLines === true ? options.logger : redactingLogger(options.logger, redact);
    const container = createCoreContainer({
      logger: this.logger,
      build: { version: options.version },
      plugins: { builtins: options.builtins, hostUrls: options.resolveFrom },
    });
    this.loader = container.resolve(PluginLoader);
    this.runtime = container.resolve(Runtime);
    this.reload = coalesced(() => this.#reload(), { ok: true, summary: { kept: [], added: [], changed: [], removed: [] } });
  }

  /**
   * Reads and validates the whole config, loading every plugin it names; runs nothing and is
   * not narrowed by `select`. Rejects with `MUSTER_ERR_CONFIG_INVALID` (every problem with its
   * path) and the like; its errors carry no secret.
   */
  readPlan(): Promise<Plan> {
    return this.#read(this.#config.file);
  }

  /**
   * Puts the first plan in force, narrowed by `select`: one instance per entry, nothing started
   * yet. Returns the plan in force. Later plans go through {@link reload}.
   */
  load(plan: Plan): Plan {
    if (this.runtime.plan !== undefined) throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['Host.load()', 'a plan is already loaded; later plans go through reload()']);
    const selected = this.#select(plan);
    this.runtime.load(selected);
    return selected;
  }

  /** `text` with every secret of the plan in force replaced (it follows load and reload). */
  redact(text: string): string {
    return this.runtime.redact(text);
  }

  /** Answers one scrape of `/metrics` with core's {@link scrape}. */
  scrape(request: ScrapeRequest = {}): Promise<ScrapeResponse> {
    return scrape(this.runtime, request);
  }

  /** Reads the config from its source; `file` is the one to read (a reload reads the file found at load). */
  #read(file: string | undefined): Promise<Plan> {
    const { inline, cwd = process.cwd(), env = process.env } = this.#config;
    if (inline !== undefined) return buildPlan(inline, join(resolve(cwd), INLINE_CONFIG_NAME), this.loader, env);
    return readPlan(this.loader, { ...(file === undefined ? {} : { file }), cwd, env });
  }

  /**
   * Stops the host for good: later reloads are refused (`MUSTER_ERR_SHUTTING_DOWN`), a reload
   * under way is waited for and changes nothing, then the runtime stops (cycles aborted,
   * collectors closed). Idempotent: every call returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#inflight;
      await this.runtime.stop();
    })();
    return this.#closing;
  }

  /** The text of a refused reload: the error's message and code, the plan's secrets redacted. */
  #refusal(err: unknown): string {
    const error = isMusterError(err) ? `${err.message} [${err.code}]` : err instanceof Error ? err.message : String(err);
    return this.runtime.redact(error);
  }

  #reload(): Promise<ReloadOutcome> {
    const run = this.#reloadOnce();
    this.#inflight = run.then(() => undefined);
    return run;
  }

  async #reloadOnce(): Promise<ReloadOutcome> {
    const shuttingDown = (): ReloadOutcome => {
      this.logger.info('reload not applied: muster is shutting down');
      return { ok: false, error: this.#refusal(createError('MUSTER_ERR_SHUTTING_DOWN', [])) };
    };
    if (this.#closing !== undefined) return shuttingDown();
    const current = this.runtime.plan;
    if (current === undefined) {
      return { ok: false, error: this.#refusal(createError('MUSTER_ERR_INVALID_ARGUMENT', ['Host.reload()', 'nothing to reload: no configuration is loaded yet'])) };
    }
    try {
      const next = this.#select(await this.#read(current.filepath));
      // close() came while the file was read: the host is stopping, nothing new may start.
      if (this.#closing !== undefined) return shuttingDown();
      const summary = await this.runtime.reload(next);
      this.runtime.recordReload(true);
      this.logger.info({ ...summary }, 'configuration reloaded');
      return { ok: true, summary };
    } catch (err) {
      this.runtime.recordReload(false);
      const error = this.#refusal(err);
      this.logger.error({ err: error }, 'reload refused: the running configuration stays');
      return { ok: false, error };
    }
  }
}
