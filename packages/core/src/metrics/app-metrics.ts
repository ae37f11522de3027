import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  Logger,
  MetricFactory,
  MetricOptions,
  StateSet,
  StateSetOptions,
  Summary,
  SummaryOptions,
} from '@muster/sdk';
import { RESERVED_LABELS } from '../config/schema.js';
import { createError, describeError } from '../errors.js';
import type { FamilyRegistry } from './families.js';
import { InstanceMetrics } from './instance-metrics.js';
import { type ExpositionFormat, renderFamilies } from './exposition/format.js';

/**
 * The owner name of application families in the family registry. It cannot be an instance name
 * (those start with a letter or digit), so closing an instance never releases the app's families.
 */
export const APP_OWNER = '(app)';

/**
 * Prefixes of the process metrics muster's self metrics already export (prom-client's defaults,
 * `process_start_time_seconds` among them). They are not in the family registry, so an app
 * family with one of these prefixes is refused here rather than printed twice.
 */
export const APP_RESERVED_PREFIXES: readonly string[] = ['process_', 'nodejs_'];

/**
 * The application's own metrics, for a host that embeds muster in an app: a {@link MetricFactory}
 * whose families are rendered in the same exposition as the plugin instances' and muster's own.
 *
 * Unlike an instance's metrics there are no cycles: nothing is reset, a value stays until the app
 * changes it, and a gauge appears once it is first written. Family names are checked against
 * every plugin's (one registry, one header per family); `muster_`, `process_` and `nodejs_` are
 * refused, as are the labels `collector`, `instance` and `job`. Writes that break a declaration
 * throw `MUSTER_ERR_INVALID_OUTPUT` to the caller at once.
 */
export class AppMetrics implements MetricFactory {
  readonly #metrics: InstanceMetrics;
  readonly #hooks = new Set<() => void | Promise<void>>();
  readonly #logger: Logger;

  constructor(families: FamilyRegistry, logger: Logger) {
    this.#metrics = new InstanceMetrics({ instance: APP_OWNER, plugin: APP_OWNER, families, reservedLabels: RESERVED_LABELS });
    this.#logger = logger;
  }

  /**
   * Runs `hook` before every render (every scrape), to set values read at that moment (an
   * uptime, a queue length). A hook that throws is logged and skipped; the scrape goes on.
   * Returns a function that removes the hook.
   */
  onScrape(hook: () => void | Promise<void>): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  /** Runs the scrape hooks, then renders every app family that has series. */
  async render(format: ExpositionFormat): Promise<string> {
    for (const hook of this.#hooks) {
      try {
        await hook();
      } catch (err) {
        this.#logger.warn({ err: describeError(err) }, 'app metrics scrape hook failed');
      }
    }
    return renderFamilies(await this.#metrics.snapshot(), format);
  }

  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    return this.#metrics.gauge(this.#check(options));
  }

  counter<L extends string = never>(options: MetricOptions<L>): Counter<L> {
    return this.#metrics.counter(this.#check(options));
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    return this.#metrics.histogram(this.#check(options));
  }

  summary<L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    return this.#metrics.summary(this.#check(options));
  }

  stateSet<L extends string = never, S extends string = string>(options: StateSetOptions<L, S>): StateSet<L, S> {
    return this.#metrics.stateSet(this.#check(options));
  }

  info<L extends string = never>(options: MetricOptions<L>): Info<L> {
    return this.#metrics.info(this.#check(options));
  }

  #check<O extends MetricOptions<string>>(options: O): O {
    const name = typeof options?.name === 'string' ? options.name : '';
    const prefix = APP_RESERVED_PREFIXES.find((p) => name.startsWith(p));
    if (prefix !== undefined) {
      throw createError('MUSTER_ERR_METRIC_CONFLICT', [
        name,
        `uses the prefix "${prefix}" of the process metrics muster already exports; choose an app prefix such as "app_"`,
      ]);
    }
    return options;
  }
}
