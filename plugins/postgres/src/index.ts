/**
 * `@muster/plugin-postgres`: pings a PostgreSQL database once per cycle through a tiny pool
 * (one connection by default) and reports whether it answered, how fast, which server version
 * it runs and whether it is a primary or a replica.
 *
 * @packageDocumentation
 */
import { API_VERSION, createRedactor, definePlugin, parseDuration, targetHealthy, targetUnhealthy } from '@muster/sdk';
import { configSchema, resolveTarget, resolveTimeouts, timerMs } from './config.js';
import { declareMetrics } from './metrics.js';
import { Pinger } from './ping.js';
import { postgresTarget } from './target.js';

export { FAILURE_REASONS, type FailureReason, MUSTER_REASON } from './classify.js';
export { configSchema, type PostgresConfig } from './config.js';

export default definePlugin({
  name: 'postgres',
  apiVersion: API_VERSION,
  description: 'Pings a PostgreSQL database: up, latency, server version, primary or replica, and why a ping failed.',
  configSchema,
  defaults: { schedule: '15s', timeout: '10s' },
  target: postgresTarget,
  create(ctx) {
    const config = ctx.config;
    const target = resolveTarget(config, ctx.name);
    const timeouts = resolveTimeouts(config, ctx.timeoutMs);
    // pg builds some messages from its settings; none of these may reach a log line or a label.
    const scrub = createRedactor([config.connectionString, target.password, config.tls.key]);
    if (timeouts.shortened) {
      ctx.logger.warn(
        { host: scrub(target.host), port: target.port, database: scrub(target.database), instanceTimeoutMs: ctx.timeoutMs, usedMs: timeouts.pingMs },
        'config.timeout is not shorter than the instance timeout; using a shorter one so a hung database is reported, not a failed cycle',
      );
    }
    const pinger = new Pinger({
      target,
      tls: config.tls,
      query: config.query,
      timeouts,
      pool: {
        max: config.pool.max,
        idleTimeoutMs: timerMs(parseDuration(config.pool.idleTimeout) ?? 60_000),
        maxLifetimeSeconds: Math.max(1, Math.floor(timerMs(parseDuration(config.pool.maxLifetime) ?? 3_600_000) / 1000)),
      },
      logger: ctx.logger,
      scrub,
    });
    const where = pinger.where();
    const m = declareMetrics(ctx.metrics, config.buckets);
    // Both results exist from the start, so rate() and increase() work for either.
    m.pings.inc({ result: 'up' }, 0);
    m.pings.inc({ result: 'down' }, 0);
    m.connectionsOpened.inc(0);
    let openedBefore = 0;
    let lastReason = 'none';

    return {
      async collect(signal) {
        const result = await pinger.ping(signal);
        m.up.set(result.up ? 1 : 0);
        m.reason.set(result.reason);
        m.pings.inc({ result: result.up ? 'up' : 'down' });
        if (result.durationSeconds !== undefined) m.duration.observe(result.durationSeconds);
        if (result.serverVersion !== undefined) m.serverInfo.set({ server_version: result.serverVersion });
        if (result.inRecovery !== undefined) m.inRecovery.set(result.inRecovery ? 1 : 0);
        const opened = pinger.opened;
        m.connectionsOpened.inc(opened - openedBefore);
        openedBefore = opened;
        m.poolConnections.set(pinger.connections);
        // Log changes at info, repeats at debug: host, port and database only, never the URL or the user's secrets.
        if (result.reason !== lastReason) {
          if (result.up) ctx.logger.info({ ...where }, 'PostgreSQL answers again');
          else ctx.logger.warn({ ...where, reason: result.reason, detail: result.detail }, 'PostgreSQL ping failed');
        } else if (!result.up) {
          ctx.logger.debug({ ...where, reason: result.reason, detail: result.detail }, 'PostgreSQL ping failed');
        }
        lastReason = result.reason;
        return result.up ? targetHealthy() : targetUnhealthy(result.reason);
      },
      async close() {
        // Bounded: a connection still being opened ends at its connect timeout at the latest.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          pinger.close(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timerMs(timeouts.connectMs + 1000));
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
      },
    };
  },
});
