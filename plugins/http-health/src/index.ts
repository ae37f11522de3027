/**
 * `@muster/plugin-http-health`: checks that an HTTP(S) endpoint answers, with the expected
 * status and body, in time.
 *
 * @packageDocumentation
 */
import { API_VERSION, definePlugin, parseDuration, targetHealthy, targetUnhealthy, underDeadline } from '@muster/sdk';
import { sharedAgents } from './agents.js';
import { type CheckOptions, runCheck } from './check.js';
import { configSchema } from './config.js';
import { declareMetrics } from './metrics.js';
import { requestHeaders } from './request-headers.js';
import { parseStatusList } from './status.js';

export { FAILURE_REASONS, type FailureReason } from './classify.js';
export { configSchema, type HttpHealthConfig } from './config.js';

export default definePlugin({
  name: 'http-health',
  apiVersion: API_VERSION,
  description: 'Checks that an HTTP(S) endpoint answers in time with the expected status and body.',
  configSchema,
  defaults: { schedule: '15s', timeout: '10s' },
  target: { key: 'url', example: 'https://example.com/healthz' },
  create(ctx) {
    const config = ctx.config;
    const limitMs = underDeadline(ctx.timeoutMs);
    const configuredMs = config.timeout === undefined ? undefined : parseDuration(config.timeout);
    if (configuredMs !== undefined && configuredMs > limitMs) {
      ctx.logger.warn(
        { timeoutMs: configuredMs, instanceTimeoutMs: ctx.timeoutMs, usedMs: limitMs },
        'config.timeout is not shorter than the instance timeout; using a shorter one so a hanging target is reported, not a failed cycle',
      );
    }
    const options: CheckOptions = {
      request: {
        url: new URL(config.url),
        method: config.method,
        headers: requestHeaders(config.headers, ctx.userAgent),
        body: config.body,
      },
      expectedStatus: parseStatusList(config.expectedStatus),
      bodyMatch: config.bodyMatch === undefined ? undefined : new RegExp(config.bodyMatch),
      timeoutMs: Math.min(configuredMs ?? limitMs, limitMs),
      followRedirects: config.followRedirects,
      maxRedirects: config.maxRedirects,
      maxBodyBytes: config.maxBodyBytes,
      ca: config.tls.ca,
      insecureSkipVerify: config.tls.insecureSkipVerify,
      // Shared by every instance; no keep-alive, so each check opens (and times) its own connection.
      agents: sharedAgents(),
    };
    const m = declareMetrics(ctx.metrics, config.buckets);
    // Both results exist from the start, so rate() and increase() work for either.
    m.checks.inc({ result: 'healthy' }, 0);
    m.checks.inc({ result: 'unhealthy' }, 0);
    const target = options.request.url.origin;

    return {
      async collect(signal) {
        const result = await runCheck(options, signal);
        const state = result.healthy ? 'healthy' : 'unhealthy';
        m.status.set(state);
        m.reason.set(result.reason);
        m.statusCode.set(result.statusCode);
        m.responseSize.set(result.bytes);
        if (result.durationSeconds !== undefined) m.duration.observe(result.durationSeconds);
        m.checks.inc({ result: state });
        if (!result.healthy) {
          // Never log header values or the full URL: they may hold tokens.
          ctx.logger.debug({ target, reason: result.reason, statusCode: result.statusCode, detail: result.detail }, 'check unhealthy');
        }
        if (result.healthy) return targetHealthy();
        // The status itself says more than "status-mismatch", and is bounded (100-599).
        return targetUnhealthy(result.reason === 'status-mismatch' && result.statusCode > 0 ? `status-${result.statusCode}` : result.reason);
      },
      // Nothing to release: the agents are shared and hold no idle socket.
      close() {},
    };
  },
});
