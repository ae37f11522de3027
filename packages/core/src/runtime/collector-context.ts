import { type CollectorContext, type Got, type Logger, type MetricFactory, underDeadline } from '@muster/sdk';
import { sharedHttpClient } from './http-clients.js';

/** The fields of an {@link InstanceContext}, all but the HTTP client. */
export type ContextFields<Config> = Omit<CollectorContext<Config>, 'http'>;

/**
 * What a plugin's `create()` receives for one in-process instance. A class, so a thousand
 * contexts share one hidden class with their fields inside the object; an object literal with a
 * getter fell into dictionary mode, about 440 bytes more each. `http` is a getter on the
 * prototype: the shared got client is made (and got loaded) when a plugin first reads it, so
 * plugins without HTTP never pay for it. (Spreading the context copies only its own fields.)
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
  }

  /**
   * The got client shared by every instance with this timeout and user agent. Its timeout is a
   * little under the cycle deadline, so a hanging request reaches the collector as got's
   * TimeoutError (a result it can report) before the cycle itself is cut off.
   */
  get http(): Got {
    return sharedHttpClient(underDeadline(this.timeoutMs), this.userAgent);
  }
}
