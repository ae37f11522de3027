import type { Counter, Gauge, Histogram, MetricFactory, StateSet } from '@muster/sdk';
import { FAILURE_REASONS, type FailureReason } from './classify.js';

/** The metrics of one http-health instance. */
export interface HealthMetrics {
  readonly status: StateSet<never, 'healthy' | 'unhealthy'>;
  readonly reason: StateSet<never, FailureReason>;
  readonly duration: Histogram;
  readonly statusCode: Gauge;
  readonly responseSize: Gauge;
  readonly checks: Counter<'result'>;
}

/** Declares the instance's metrics (`collector` and instance labels are added by the host). */
export function declareMetrics(metrics: MetricFactory, buckets: readonly number[]): HealthMetrics {
  return {
    status: metrics.stateSet({
      name: 'http_health_status',
      help: 'Whether the last check of the endpoint was healthy or unhealthy.',
      states: ['healthy', 'unhealthy'] as const,
    }),
    reason: metrics.stateSet({
      name: 'http_health_failure_reason',
      help: 'Why the last check was unhealthy; "none" when it was healthy.',
      states: FAILURE_REASONS,
    }),
    duration: metrics.histogram({
      name: 'http_health_request_duration_seconds',
      help: 'Seconds from the start of a request to the end of its response body, for every check that got a response.',
      buckets,
      accumulate: true,
    }),
    statusCode: metrics.gauge({
      name: 'http_health_status_code',
      help: 'HTTP status code of the last response; 0 when no response arrived.',
    }),
    responseSize: metrics.gauge({
      name: 'http_health_response_size_bytes',
      help: 'Bytes of response body read by the last check (after decompression).',
    }),
    checks: metrics.counter({
      name: 'http_health_checks_total',
      help: 'Checks run, by result (healthy or unhealthy).',
      labelNames: ['result'] as const,
      accumulate: true,
    }),
  };
}
