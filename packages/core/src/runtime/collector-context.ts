import { type CollectorContext, type Got, type Logger, type MetricFactory, underDeadline } from '@muster/sdk';
import { sharedHttpClient } from './http-clients.js';

/** The fields of an {@link InstanceContext}, all but the HTTP client. */
export type ContextFields<Config> = Omit<CollectorContext<Config>, 'http'>;

/**
 * `ctx.http`: the got client shared by every instance with this timeout and user agent, made (and
 * got loaded) when a plugin first reads it, so plugins without HTTP never pay for it. Its timeout
 * is a little under the cycle deadline, so a hanging request reaches the collector as got's
 * TimeoutError (a result it can report) before the cycle itself is cut off.
 */
function sharedHttp(this: InstanceContext<unknown>): Got {
  return sharedHttpClient(underDeadline(this.timeoutMs), this.userAgent);
}

/**
 * `http` as an own, enumerable property of every context, as it was in an object literal
 * (`{ ...ctx }` copies it), defined with one getter function: every context keeps one hidden
 * class, and the property costs no bytes per context.
 */
const HTTP_PROPERTY: PropertyDescriptor = { get: sharedHttp, enumerable: true, configurable: true };

/**
 * What a plugin's `create()` receives for one in-process instance. A class, so a thousand
 * contexts share one hidden class with their fields inside the object; an object literal with a
 * getter fell into dictionary mode, about 440 bytes more each.
 */
export class InstanceContext<Config> implements CollectorContext<Config> {
  readonly name: string;
  readonly plugin: string;
  readonly config: Config;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly metrics: MetricFactory;
  readonly logger: Logger;
  readonly userAgent: string;
  readonly signal: AbortSignal;
  declare readonly http: Got;

  constructor(fields: ContextFields<Config>) {
    this.name = fields.name;
    this.plugin = fields.plugin;
    this.config = fields.config;
    this.labels = fields.labels;
    this.timeoutMs = fields.timeoutMs;
    this.metrics = fields.metrics;
    this.logger = fields.logger;
    this.userAgent = fields.userAgent;
    this.signal = fields.signal;
    Object.defineProperty(this, 'http', HTTP_PROPERTY);
  }
}
