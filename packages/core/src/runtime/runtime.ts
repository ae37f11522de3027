import type { Logger } from '@muster/sdk';
import { inject, injectable } from 'tsyringe';
import type { Plan } from '../config/plan.js';
import { FamilyRegistry } from '../metrics/families.js';
import { CONTENT_TYPES, type ExpositionFormat } from '../metrics/render.js';
import { MetricStore } from '../metrics/store.js';
import { createRedactor } from '../redact.js';
import { TOKENS } from '../tokens.js';
import { Instance } from './instance.js';
import { runCycle } from './runner.js';
import { Scheduler } from './scheduler.js';
import { type BuildInfo, SelfMetrics } from './self-metrics.js';

/** How long a scrape waits past its deadline for on-scrape cycles cut at that deadline. */
const SCRAPE_GRACE_MS = 50;

/** An exposition ready to send. */
export interface Exposition {
  readonly body: string;
  readonly contentType: string;
}

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
    this.#scheduler.start(this.#instances, (instance) => runCycle(instance, this.store, { redact: this.#redact }));
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
    let body: string;
    if (options.collector !== undefined) {
      body = this.store.body(format, options.collector);
    } else {
      body = this.store.body(format) + (await this.selfMetrics.render(this.#instances, format));
    }
    if (format === 'openmetrics') body += '# EOF\n';
    return { body, contentType: CONTENT_TYPES[format] };
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
      if (instance.running === cycle) instance.running = undefined;
    });
    instance.running = cycle;
    return cycle;
  }
}
