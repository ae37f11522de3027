import { createError, describeError, isMusterError } from '../errors.js';
import type { MetricStore } from '../metrics/exposition/store.js';
import { sampleCount } from '../metrics/types.js';
import { classifyFailure } from './classify.js';
import type { FailureReason } from './health.js';
import type { Instance } from './instance.js';
import { runInScope } from './scope.js';
import { verdictOfFailure, verdictOfResult } from './verdict.js';

/** Options of one cycle. */
export interface CycleOptions {
  /** A deadline shorter than the instance's timeout (e.g. what is left of a scrape). */
  readonly deadlineMs?: number;
  /** Turns error text into something safe to log (secrets removed). */
  readonly redact?: (text: string) => string;
  /** Told when the plugin's collect() starts (the stall watch's suspects). */
  readonly onCollect?: (instance: Instance) => void;
}

class CycleFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Runs one cycle of `instance`: collect under a deadline, check the output, commit it to
 * `store` atomically, and record the outcome in the instance's health. Never throws: a cycle
 * that fails, fails alone.
 */
export async function runCycle(instance: Instance, store: MetricStore, options: CycleOptions = {}): Promise<void> {
  const { plan, health } = instance;
  const started = performance.now();
  health.lastRunAt = Date.now();
  const timeoutMs = Math.max(1, Math.min(plan.timeoutMs, options.deadlineMs ?? Number.POSITIVE_INFINITY));
  try {
    if (instance.slot.collecting !== undefined) {
      throw new CycleFailure('overrun', 'the previous cycle ignored its deadline and is still running (its collector does not honour the abort signal)');
    }
    let created: Awaited<ReturnType<Instance['ensureCollector']>>;
    try {
      created = await instance.ensureCollector();
    } catch (err) {
      throw new CycleFailure('create-failed', describeError(err));
    }
    const { collector, metrics } = created;
    metrics.beginCycle();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(createError('MUSTER_ERR_CYCLE_TIMEOUT', [plan.name, timeoutMs]));
    }, timeoutMs);
    const onClose = () => controller.abort(instance.lifetimeSignal.reason);
    instance.lifetimeSignal.addEventListener('abort', onClose, { once: true });
    options.onCollect?.(instance);
    // The plugin's code runs in the instance's async context: errors escaping from what it
    // starts are attributed to it (see containment.ts).
    const work = runInScope(instance, () =>
      Promise.resolve().then(() => {
        const from = performance.now();
        try {
          return collector.collect(controller.signal);
        } finally {
          instance.slot.syncSpan = { from, to: performance.now() };
        }
      }),
    );
    instance.slot.hold(work);
    let settled = false;
    const mark = () => {
      settled = true;
    };
    work.then(mark, mark);
    let returned: unknown;
    try {
      returned = await Promise.race([work, whenAborted(controller.signal)]);
      // A collector that computes synchronously past its deadline never lets the timer fire.
      // (Only its own synchronous time counts: another instance blocking the loop delays when
      // this cycle sees its result, not when the collector produced it.)
      const span = instance.slot.syncSpan;
      if (span !== undefined && span.to - span.from > timeoutMs) {
        timedOut = true;
        controller.abort(createError('MUSTER_ERR_CYCLE_TIMEOUT', [plan.name, timeoutMs]));
        throw new CycleFailure('timeout', `the collector returned after its ${timeoutMs} ms deadline (it blocked the event loop)`);
      }
    } catch (err) {
      if (err instanceof CycleFailure) throw err;
      if (timedOut) throw new CycleFailure('timeout', `no result within the ${timeoutMs} ms deadline`);
      if (isMusterError(err, 'MUSTER_ERR_INVALID_OUTPUT') || metrics.invalidOutput) {
        throw new CycleFailure('invalid-output', describeError(metrics.invalidOutput ?? err));
      }
      throw new CycleFailure(classifyFailure(err), describeError(err));
    } finally {
      clearTimeout(timer);
      instance.lifetimeSignal.removeEventListener('abort', onClose);
      // A collect() that ignores its signal holds the slot until it settles: no new cycle starts.
      if (!settled) instance.slot.overrunSince ??= Date.now();
    }
    const unhandled = instance.slot.takeUnhandled();
    if (unhandled !== undefined) throw new CycleFailure('unhandled', unhandled);
    if (metrics.invalidOutput) throw new CycleFailure('invalid-output', describeError(metrics.invalidOutput));
    const families = await metrics.snapshot();
    const series = families.reduce((n, f) => n + sampleCount(f), 0);
    if (series > plan.maxSeries) {
      throw new CycleFailure('series-limit', createError('MUSTER_ERR_SERIES_LIMIT', [plan.name, series, plan.maxSeries]).message);
    }
    if (instance.closed) return;
    await store.commit(plan.name, families, { constLabels: instance.constLabels, cached: plan.schedule.kind !== 'on-scrape' });
    // Closed while the commit rendered: its series must not outlive it.
    if (instance.closed) {
      store.drop(plan.name);
      return;
    }
    const wasDown = health.settled && !health.up;
    health.up = true;
    health.series = series;
    health.target = verdictOfResult(returned);
    health.reason = undefined;
    health.lastError = undefined;
    health.consecutiveFailures = 0;
    health.lastSuccessSeconds = Date.now() / 1000;
    health.runs.success++;
    if (wasDown) instance.logger.info('collector recovered');
  } catch (err) {
    // An unhandled error of the plugin's code outranks what it made the cycle do.
    const unhandled = instance.slot.takeUnhandled();
    const failure =
      unhandled !== undefined ? new CycleFailure('unhandled', unhandled) : err instanceof CycleFailure ? err : new CycleFailure('error', describeError(err));
    const redact = options.redact ?? ((t: string) => t);
    const message = redact(failure.message).slice(0, 300);
    const changed = health.up || !health.settled || health.reason !== failure.reason;
    health.up = false;
    health.reason = failure.reason;
    health.target = verdictOfFailure(failure.reason);
    health.lastError = message;
    health.consecutiveFailures++;
    health.runs.failure++;
    if (plan.onFailure === 'drop') {
      store.drop(plan.name);
      health.series = 0;
    }
    const fields = { reason: failure.reason, err: message, failures: health.consecutiveFailures };
    if (changed) instance.logger.warn(fields, 'collection cycle failed');
    else instance.logger.debug(fields, 'collection cycle failed');
  } finally {
    health.lastDurationSeconds = (performance.now() - started) / 1000;
    health.settled = true;
    instance.history.record({
      startedAt: health.lastRunAt,
      durationSeconds: health.lastDurationSeconds,
      result: health.up ? 'success' : 'failure',
      ...(health.up || health.reason === undefined ? {} : { reason: health.reason }),
    });
  }
}
