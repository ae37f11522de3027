import { createError } from '@muster/core';
import type { Labels } from '@muster/sdk';

/** Anything with a timer: a histogram or a summary from a muster metric factory. */
export interface Timer<L extends string = string> {
  startTimer(labels?: Labels<L>): (endLabels?: Labels<L>) => number;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Wraps `fn` so that every call observes its duration in seconds into `metric` (a histogram or a
 * summary): until it returns or throws, or, when it returns a promise, until that settles. The
 * wrapper keeps `this`, the arguments and the result (the very same promise) of `fn`.
 * `labels` may be fixed or computed from the call's arguments.
 *
 * @example
 * ```ts
 * const renderSeconds = muster.metrics.histogram({ name: 'app_render_seconds', help: 'Page render time.', labelNames: ['page'] });
 * const render = timed(renderSeconds, renderPage, (page) => ({ page: page.name }));
 * ```
 */
export function timed<A extends unknown[], R, T = unknown, L extends string = string>(
  metric: Timer<L>,
  fn: (this: T, ...args: A) => R,
  labels?: Labels<L> | ((...args: A) => Labels<L>),
): (this: T, ...args: A) => R {
  return function timedCall(this: T, ...args: A): R {
    const end = metric.startTimer(typeof labels === 'function' ? labels(...args) : labels);
    let result: R;
    try {
      result = fn.apply(this, args);
    } catch (err) {
      end();
      throw err;
    }
    if (!isThenable(result)) {
      end();
      return result;
    }
    // Observed on the side: the caller gets fn's own promise, rejection included.
    const observe = () => {
      try {
        end();
      } catch (err) {
        process.emitWarning(`timed(): cannot observe a duration: ${(err as Error).message}`);
      }
    };
    result.then(observe, observe);
    return result;
  };
}

/** A method decorator: TC39 (TypeScript 5 default) and legacy (`experimentalDecorators`) alike. */
export interface MethodTimer {
  <This, A extends unknown[], R>(
    method: (this: This, ...args: A) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
  ): (this: This, ...args: A) => R;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

/**
 * {@link timed} as a method decorator, like the Flask example's `@REQUEST_TIME.time()`:
 *
 * ```ts
 * class Pages {
 *   @timedMethod(renderSeconds, { page: 'home' })
 *   async home() { … }
 * }
 * ```
 *
 * The metric must exist when the class is defined: declare it on a `Muster` made with
 * `createMuster()` (synchronous) at module level.
 */
export function timedMethod<L extends string = string>(metric: Timer<L>, labels?: Labels<L>): MethodTimer {
  const decorate = (
    method: ((...args: unknown[]) => unknown) | object,
    context: ClassMethodDecoratorContext | string | symbol,
    descriptor?: PropertyDescriptor,
  ): unknown => {
    if (typeof context === 'object') {
      if (context.kind !== 'method') throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['@timedMethod()', 'decorates methods only']);
      return timed(metric, method as (...args: unknown[]) => unknown, labels);
    }
    const original: unknown = descriptor?.value;
    if (typeof original !== 'function') throw createError('MUSTER_ERR_INVALID_ARGUMENT', ['@timedMethod()', `decorates methods only; ${String(context)} is not one`]);
    return { ...descriptor, value: timed(metric, original as (...args: unknown[]) => unknown, labels) };
  };
  return decorate as MethodTimer;
}
