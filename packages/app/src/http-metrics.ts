import { METHODS } from 'node:http';
import type { Counter, Gauge, Histogram, MetricFactory } from '@muster/sdk';

/** The `route` label of a request no route matched (a 404 from the framework). Never the raw URL. */
export const UNMATCHED_ROUTE = '(unmatched)';
/** The `route` label when the app does not say which route served a request. Never the raw URL. */
export const UNKNOWN_ROUTE = '(unknown)';
/** The `method` label of a method Node does not know (bounded, like every label here). */
export const OTHER_METHOD = 'OTHER';

/** Buckets of `http_request_duration_seconds` (Prometheus' defaults), in seconds. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Options of the request metrics. */
export interface HttpMetricsOptions {
  /** Upper bounds (seconds) of `http_request_duration_seconds`; default {@link DEFAULT_DURATION_BUCKETS}. */
  readonly buckets?: readonly number[];
  /** Route templates not to count (e.g. `/healthz`). muster's own metrics route is never counted. */
  readonly excludeRoutes?: readonly string[];
}

/** One finished request, as the request metrics see it. */
export interface ObservedRequest {
  /** The HTTP method (upper-cased; one Node does not know becomes `OTHER`). */
  readonly method: string;
  /** The route template (`/users/:id`), {@link UNMATCHED_ROUTE} or {@link UNKNOWN_ROUTE}. Never the raw URL. */
  readonly route: string;
  readonly statusCode: number;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(METHODS);
type RequestLabel = 'method' | 'route' | 'status_code';

/**
 * The request metrics the seeds' web servers kept, on the app's registry:
 * `http_requests_total{method,route,status_code}`, `http_request_duration_seconds{method,route,status_code}`
 * and `app_last_request_timestamp_seconds`. Labels are bounded: route templates, never URLs.
 */
export class HttpMetrics {
  readonly #requests: Counter<RequestLabel>;
  readonly #duration: Histogram<RequestLabel>;
  readonly #lastRequest: Gauge;
  readonly #excluded: ReadonlySet<string>;

  constructor(metrics: MetricFactory, options: HttpMetricsOptions = {}) {
    const labelNames = ['method', 'route', 'status_code'] as const;
    this.#requests = metrics.counter({
      name: 'http_requests_total',
      help: 'HTTP requests the app answered, by method, route template and status code.',
      labelNames,
    });
    this.#duration = metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response, in seconds, by method, route template and status code.',
      labelNames,
      buckets: options.buckets ?? DEFAULT_DURATION_BUCKETS,
    });
    this.#lastRequest = metrics.gauge({
      name: 'app_last_request_timestamp_seconds',
      help: 'Unix time when the app last finished answering an HTTP request.',
    });
    this.#excluded = new Set(options.excludeRoutes ?? []);
  }

  /** Counts one finished request that took `seconds`. */
  observe(request: ObservedRequest, seconds: number): void {
    if (this.#excluded.has(request.route)) return;
    const upper = request.method.toUpperCase();
    const labels = {
      method: KNOWN_METHODS.has(upper) ? upper : OTHER_METHOD,
      route: request.route,
      status_code: String(request.statusCode),
    };
    this.#requests.inc(labels);
    this.#duration.observe(labels, Math.max(0, seconds));
    this.#lastRequest.set(Date.now() / 1000);
  }
}
