import type { Logger } from '@muster/sdk';
import { inject, injectable } from 'tsyringe';
import type { Plan } from '../config/plan.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { FamilyRegistry } from '../metrics/families.js';
import { CONTENT_TYPES, type ExpositionFormat } from '../metrics/render.js';
import { MetricStore } from '../metrics/store.js';
import { createRedactor } from '../redact.js';
import { TOKENS } from '../tokens.js';
import { Instance } from './instance.js';
import { runCycle } from './runner.js';
import { Scheduler } from './scheduler.js';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
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

/** An exposition ready to send: the committed families, then muster's own metrics. */
export interface Exposition {
  readonly contentType: string;
  /** The exposition's bytes, in order (the committed body is shared between scrapes, never copied). */
  readonly buffers: readonly Buffer[];
  /** The exposition as text. */
  readonly body: string;
  /**
   * The exposition gzipped: the committed body's gzip member, compressed once per commit off
   * the event loop, followed by a small member for the rest (a multi-member gzip stream).
   */
  gzip(): Promise<Buffer[]>;
}

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
  readonly startedAt = Date.now();

  constructor(
    @inject(TOKENS.Logger) readonly logger: Logger,
    @inject(TOKENS.BuildInfo) readonly build: BuildInfo,
  ) {
    this.selfMetrics = new SelfMetrics(this.families, build);
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
   * True once every scheduled instance has finished its first cycle (or failed it). On-scrape
   * instances run only when scraped, so they never hold readiness back.
   */
  get ready(): boolean {
    return this.#plan !== undefined && this.pending.length === 0;
  }

  /** Scheduled instances that have not finished a first cycle yet. */
  get pending(): readonly Instance[] {
    return this.#instances.filter((i) => i.plan.schedule.kind !== 'on-scrape' && !i.health.settled);
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
    const host = { families: this.families, logger: this.logger, userAgent: `muster/${this.build.version}` };
    this.#instances = plan.instances.map((p) => new Instance(p, host));
  }

  /** Starts scheduled instances on their timers (on-scrape ones wait for scrapes). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#scheduler.start(this.#instances, this.#scheduledRun);
  }

  readonly #scheduledRun = (instance: Instance): Promise<void> =>
    runCycle(instance, this.store, { redact: this.#redact }).finally(() => {
      this.#selfVersion++;
    });

  /**
   * Switches to a new, already validated plan. Instances whose plugin and settings did not change
   * keep running with their state (accumulating histograms and counters go on); changed ones are
   * closed and created anew; removed ones are closed and their series dropped; new ones start.
   */
  async reload(plan: Plan): Promise<ReloadSummary> {
    const previous = new Map(this.#instances.map((i) => [i.name, i]));
    const host = { families: this.families, logger: this.logger, userAgent: `muster/${this.build.version}` };
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
      const instance = new Instance(p, host);
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
    const eof = format === 'openmetrics' ? EOF : EMPTY;
    if (options.collector !== undefined) {
      const slice = this.store.bodyBuffer(format, options.collector);
      return exposition(format, [slice, eof], async () => [await gzipAsync(Buffer.concat([slice, eof]))]);
    }
    // The application's own metrics (embedded hosts) change with every request: rendered per scrape.
    const app = this.#app === undefined ? EMPTY : Buffer.from(await this.#app.render(format), 'utf8');
    const main = this.store.bodyBuffer(format);
    const tail = Buffer.concat([await this.#selfBody(format), eof]);
    const store = this.store;
    const gzipped = async () => {
      const [head, body, rest] = await Promise.all([app.length === 0 ? EMPTY : gzipAsync(app), store.gzipBuffer(format), gzipAsync(tail)]);
      return [head, body, rest].filter((b) => b.length > 0);
    };
    return exposition(format, [app, main, tail], gzipped);
  }

  /** muster's own metrics, re-rendered when a cycle ended or after {@link SELF_METRICS_TTL_MS}. */
  async #selfBody(format: ExpositionFormat): Promise<Buffer> {
    const cached = this.#self[format];
    const now = performance.now();
    if (cached !== undefined && cached.version === this.#selfVersion && now - cached.at < SELF_METRICS_TTL_MS) return cached.body;
    const version = this.#selfVersion;
    const body = Buffer.from(await this.selfMetrics.render(this.#instances, format), 'utf8');
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
    await Promise.all(this.#instances.map((i) => i.close()));
    this.#started = false;
  }

  /** Starts a cycle unless one is running, in which case it joins that one. */
  #runShared(instance: Instance, deadlineMs?: number): Promise<void> {
    if (instance.running !== undefined) return instance.running;
    const cycle = runCycle(instance, this.store, {
      redact: this.#redact,
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    }).finally(() => {
      this.#selfVersion++;
      if (instance.running === cycle) instance.running = undefined;
    });
    instance.running = cycle;
    return cycle;
  }
}

const gzipAsync = promisify(gzip);
const EOF = Buffer.from('# EOF\n');
const EMPTY = Buffer.alloc(0);

function exposition(format: ExpositionFormat, buffers: Buffer[], gzip: () => Promise<Buffer[]>): Exposition {
  return {
    contentType: CONTENT_TYPES[format],
    buffers,
    get body() {
      return Buffer.concat(buffers).toString('utf8');
    },
    gzip,
  };
}
