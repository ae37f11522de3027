import 'reflect-metadata';
import type { Logger } from '@muster/sdk';
import { inject, injectable } from 'tsyringe';
import type { Plan } from '../config/plan.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { FamilyRegistry } from '../metrics/families.js';
import { type Exposition, fullExposition, instanceExposition } from '../metrics/exposition/compose.js';
import type { ExpositionFormat } from '../metrics/exposition/format.js';
import { MetricStore } from '../metrics/exposition/store.js';
import { createRedactor } from '../redact.js';
import { TOKENS } from '../tokens.js';
import { Prober } from '../probe/prober.js';
import { containErrors } from './containment.js';
import { Instance } from './instance.js';
import { runCycle } from './cycle.js';
import type { UnhandledSource } from './scope.js';
import { StallWatch } from './stall-watch.js';
import { Scheduler } from './scheduler.js';
import { type BuildInfo, SelfMetrics } from './self-metrics.js';

/** What a reload did, by instance name. */
export interface ReloadSummary {
  readonly kept: string[];
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/** How long a scrape waits past its deadline for on-scrape cycles cut at that deadline. */
const SCRAPE_GRACE_MS = 50;

/** How long muster's own metrics (process CPU, memory…) may be reused between scrapes. */
const SELF_METRICS_TTL_MS = 1000;

/** Options of {@link Runtime.exposition}. */
export interface ExpositionOptions {
  /** Milliseconds the scrape may spend on on-scrape instances (from the scraper's timeout). */
  readonly deadlineMs?: number;
  /** Only this instance's series (and no self metrics). */
  readonly collector?: string;
}

/**
 * The running exporter minus HTTP: instances created from a plan, scheduled, collected into one
 * store, and rendered on demand.
 */
@injectable()
export class Runtime {
  readonly store = new MetricStore();
  readonly families = new FamilyRegistry();
  readonly selfMetrics: SelfMetrics;
  readonly #scheduler = new Scheduler();
  #instances: Instance[] = [];
  #plan: Plan | undefined;
  #redact: (text: string) => string = (t) => t;
  #started = false;
  /** Bumped whenever muster's own metrics change (a cycle ended, a reload); they also age with time. */
  #selfVersion = 0;
  #self: Partial<Record<ExpositionFormat, { version: number; at: number; body: Buffer }>> = {};
  #app: AppMetrics | undefined;
  readonly #stalls: StallWatch;
  readonly startedAt = Date.now();
  /** `GET /probe`: the modules of the plan and the collectors of their probed targets. */
  readonly prober: Prober;

  constructor(
    @inject(TOKENS.Logger) readonly logger: Logger,
    @inject(TOKENS.BuildInfo) readonly build: BuildInfo,
  ) {
    this.selfMetrics = new SelfMetrics(this.families, build);
    this.#stalls = new StallWatch(logger);
    this.prober = new Prober({ logger, userAgent: `muster/${build.version}`, redact: () => this.#redact });
    this.selfMetrics.probes = this.prober.log;
    this.selfMetrics.modules = () => this.prober.modules.map((m) => m.name);
  }

  /** The plan in force. */
  get plan(): Plan | undefined {
    return this.#plan;
  }

  /** Instances in config order. */
  get instances(): readonly Instance[] {
    return this.#instances;
  }

  /** Text with every configured secret replaced. */
  redact(text: string): string {
    return this.#redact(text);
  }

  /**
   * Readiness: a plan is loaded, the instances are scheduled, and none is still waiting for a
   * first cycle it was promised at start. An interval instance spread over its interval (the
   * default) has its first cycle due within one interval: it never holds readiness back, so a
   * thousand instances are ready at once instead of after their spread. Instances run at start
   * (`align: true`, cron schedules) hold it until their first cycle finished (or failed).
   * On-scrape instances run only when scraped, so they never hold readiness back.
   */
  get ready(): boolean {
    return this.#plan !== undefined && this.pending.length === 0;
  }

  /** Scheduled instances readiness waits for (see {@link ready}). */
  get pending(): readonly Instance[] {
    return this.#instances.filter((i) => {
      const schedule = i.plan.schedule;
      if (schedule.kind === 'on-scrape' || i.health.settled) return false;
      const spread = schedule.kind === 'interval' && i.plan.align !== true;
      return !spread || i.health.nextRunAt === undefined;
    });
  }

  /**
   * The application's own metrics, for a host that embeds muster in an app: families declared
   * here are rendered with the plugin instances' at every full scrape (not with `?collector=`).
   * Created on first use; the same object afterwards.
   */
  appMetrics(): AppMetrics {
    this.#app ??= new AppMetrics(this.families, this.logger);
    return this.#app;
  }

  /** Creates one instance per planned entry; nothing runs yet. */
  load(plan: Plan): void {
    this.#plan = plan;
    this.#redact = createRedactor(plan.secrets);
    this.#instances = plan.instances.map((p) => new Instance(p, this.#host()));
    this.prober.setModules(plan.modules ?? []);
  }

  /** Starts scheduled instances on their timers (on-scrape ones wait for scrapes). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.selfMetrics.process.start();
    this.#stalls.start();
    this.#scheduler.start(this.#instances, this.#scheduledRun);
  }

  /** What every instance gets from the runtime. */
  #host() {
    return { families: this.families, logger: this.logger, userAgent: `muster/${this.build.version}`, redact: (t: string) => this.#redact(t) };
  }

  /**
   * Installs the process-wide handlers that contain unhandled errors of plugin code (see
   * `containment.ts`); `onBug` gets an uncaught exception no plugin can be blamed for. Returns
   * a function that removes them.
   */
  containErrors(onBug: (error: unknown) => void): () => void {
    return containErrors({
      logger: this.logger,
      redact: (t) => this.#redact(t),
      onUnattributed: (source: UnhandledSource) => {
        this.selfMetrics.recordUnattributed(source);
        this.#selfVersion++;
      },
      onBug,
    });
  }

  readonly #onCollect = (instance: Instance): void => this.#stalls.collecting(instance);

  readonly #scheduledRun = (instance: Instance): Promise<void> =>
    this.selfMetrics.process.loopDelay
      .around(runCycle(instance, this.store, { redact: this.#redact, onCollect: this.#onCollect }))
      .finally(() => {
        this.#selfVersion++;
      });

  /**
   * Switches to a new, already validated plan. Instances whose plugin and settings did not change
   * keep running with their state (accumulating histograms and counters go on); changed ones are
   * closed and created anew; removed ones are closed and their series dropped; new ones start.
   */
  async reload(plan: Plan): Promise<ReloadSummary> {
    const previous = new Map(this.#instances.map((i) => [i.name, i]));
    const host = this.#host();
    const summary: ReloadSummary = { kept: [], added: [], changed: [], removed: [] };
    const next: Instance[] = [];
    const fresh: Instance[] = [];
    const retired: Instance[] = [];
    for (const p of plan.instances) {
      const prior = previous.get(p.name);
      previous.delete(p.name);
      if (prior !== undefined && prior.plan.fingerprint === p.fingerprint && prior.plan.plugin === p.plugin) {
        next.push(prior);
        summary.kept.push(p.name);
        continue;
      }
      if (prior !== undefined) {
        retired.push(prior);
        summary.changed.push(p.name);
      } else summary.added.push(p.name);
      // A changed instance takes over its predecessor's cycle slot: while a cycle of the old one
      // still runs (its collector ignoring the abort), the new one starts none (reason overrun).
      const instance = new Instance(p, host, prior?.slot);
      next.push(instance);
      fresh.push(instance);
    }
    for (const gone of previous.values()) {
      retired.push(gone);
      summary.removed.push(gone.name);
    }
    for (const old of retired) this.#scheduler.stop(old);
    await Promise.all(retired.map((old) => old.close()));
    for (const old of retired) this.store.drop(old.name);
    this.#plan = plan;
    this.#redact = createRedactor(plan.secrets);
    this.#instances = next;
    this.prober.setModules(plan.modules ?? []);
    this.#selfVersion++;
    if (this.#started) this.#scheduler.start(fresh, this.#scheduledRun);
    return summary;
  }

  /** Records the outcome of a reload attempt for `muster_config_last_reload_successful`. */
  recordReload(successful: boolean): void {
    this.selfMetrics.recordReload(successful);
    this.#selfVersion++;
  }

  /** Records a change of the web config file for `muster_web_config_*`. */
  recordWebConfigReload(successful: boolean): void {
    this.selfMetrics.recordWebConfigReload(successful);
    this.#selfVersion++;
  }

  /** Runs every instance once, now, and waits for all (for `muster once`); `deadlineMs` shortens deadlines. */
  async runOnce(options: { deadlineMs?: number } = {}): Promise<void> {
    await Promise.all(this.#instances.map((i) => this.#runShared(i, options.deadlineMs)));
  }

  /** The exposition: on-scrape instances are collected first, within `deadlineMs`. */
  async exposition(format: ExpositionFormat, options: ExpositionOptions = {}): Promise<Exposition> {
    // The event-loop delay is sampled while a scrape (or a cycle) is under way.
    return this.selfMetrics.process.loopDelay.around(this.#exposition(format, options));
  }

  async #exposition(format: ExpositionFormat, options: ExpositionOptions): Promise<Exposition> {
    const onScrape = this.#instances.filter(
      (i) => i.plan.schedule.kind === 'on-scrape' && (options.collector === undefined || i.name === options.collector),
    );
    if (onScrape.length > 0) {
      const cycles = Promise.all(onScrape.map((i) => this.#runShared(i, options.deadlineMs)));
      if (options.deadlineMs === undefined) await cycles;
      else {
        // A cycle started by an earlier scrape may have a later deadline: never wait much past
        // ours. The grace lets a cycle cut at our deadline record its timeout before we render.
        let timer: NodeJS.Timeout | undefined;
        const wait = options.deadlineMs + SCRAPE_GRACE_MS;
        await Promise.race([cycles, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
        clearTimeout(timer);
      }
    }
    if (options.collector !== undefined) return instanceExposition(format, this.store, options.collector);
    // The application's own metrics (embedded hosts) change with every request: rendered per scrape.
    const app = this.#app === undefined ? undefined : Buffer.from(await this.#app.render(format), 'utf8');
    return fullExposition(format, this.store, { ...(app === undefined ? {} : { app }), self: await this.#selfBody(format) });
  }

  /** muster's own metrics, re-rendered when a cycle ended or after {@link SELF_METRICS_TTL_MS}. */
  async #selfBody(format: ExpositionFormat): Promise<Buffer> {
    const cached = this.#self[format];
    const now = performance.now();
    if (cached !== undefined && cached.version === this.#selfVersion && now - cached.at < SELF_METRICS_TTL_MS) return cached.body;
    const version = this.#selfVersion;
    const body = await this.selfMetrics.render(this.#instances, format);
    this.#self[format] = { version, at: now, body };
    return body;
  }

  /** Stops starting scheduled cycles; running ones go on, scrapes are still answered. */
  pause(): void {
    this.#scheduler.stop();
  }

  /** Stops scheduling, aborts cycles in progress and closes every collector. */
  async stop(): Promise<void> {
    this.#scheduler.stop();
    this.#stalls.stop();
    this.selfMetrics.process.stop();
    await Promise.all([...this.#instances.map((i) => i.close()), this.prober.close()]);
    this.#started = false;
  }

  /** Starts a cycle unless one is running, in which case it joins that one. */
  #runShared(instance: Instance, deadlineMs?: number): Promise<void> {
    if (instance.running !== undefined) return instance.running;
    const run = runCycle(instance, this.store, {
      redact: this.#redact,
      onCollect: this.#onCollect,
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    });
    const cycle = this.selfMetrics.process.loopDelay.around(run).finally(() => {
      this.#selfVersion++;
      if (instance.running === cycle) instance.running = undefined;
    });
    instance.running = cycle;
    return cycle;
  }
}

