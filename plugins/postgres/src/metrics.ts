import type { Counter, Gauge, Histogram, Info, MetricFactory, StateSet } from '@muster/sdk';
import { FAILURE_REASONS, type FailureReason } from './classify.js';

/** The metrics of one postgres instance. */
export interface PostgresMetrics {
  readonly up: Gauge;
  readonly reason: StateSet<never, FailureReason>;
  readonly duration: Histogram;
  readonly serverInfo: Info<'server_version'>;
  readonly inRecovery: Gauge;
  readonly pings: Counter<'result'>;
  readonly connectionsOpened: Counter;
  readonly poolConnections: Gauge;
}

/** Declares the instance's metrics (`collector` and instance labels are added by the host). */
export function declareMetrics(metrics: MetricFactory, buckets: readonly number[]): PostgresMetrics {
  return {
    up: metrics.gauge({
      name: 'pg_up',
      help: 'Whether the last ping of the database succeeded (1) or failed (0); pg_failure_reason says why.',
    }),
    reason: metrics.stateSet({
      name: 'pg_failure_reason',
      help: 'Why the last ping failed; "none" when it succeeded.',
      states: FAILURE_REASONS,
    }),
    duration: metrics.histogram({
      name: 'pg_ping_duration_seconds',
      help: 'Seconds to get a connection (opening one when none is idle), open the read-only transaction and run the ping query, for every successful ping.',
      buckets,
      accumulate: true,
    }),
    serverInfo: metrics.info({
      name: 'pg_server_info',
      help: 'The server answering the pings: its server_version. Present only after a successful ping.',
      labelNames: ['server_version'] as const,
    }),
    inRecovery: metrics.gauge({
      name: 'pg_in_recovery',
      help: 'Whether the server is a replica in recovery (1) or a primary (0), from pg_is_in_recovery(). Present only after a successful ping.',
    }),
    pings: metrics.counter({
      name: 'pg_pings_total',
      help: 'Pings run, by result (up or down).',
      labelNames: ['result'] as const,
      accumulate: true,
    }),
    connectionsOpened: metrics.counter({
      name: 'pg_connections_opened_total',
      help: 'Connections the ping pool opened to the database.',
      accumulate: true,
    }),
    poolConnections: metrics.gauge({
      name: 'pg_pool_connections',
      help: 'Connections the ping pool holds open after the last ping (idle ones included).',
    }),
  };
}
