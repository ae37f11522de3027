import { msUntilNextCron } from '../config/schedule.js';
import type { Instance } from './instance.js';

/** Starts a cycle of an instance; resolves when it ends. */
export type RunFn = (instance: Instance) => Promise<void>;

/**
 * Runs each scheduled instance on its own timer: first at start (plus jitter), then at a fixed
 * rate (`15s`) or on each cron firing. A tick that finds the instance's previous cycle still
 * running is skipped and counted, so one instance never runs two cycles at once.
 */
export class Scheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  /** Schedules `instances` (on-scrape ones are left to the scrape). */
  start(instances: readonly Instance[], run: RunFn): void {
    this.#stopped = false;
    for (const instance of instances) {
      if (instance.plan.schedule.kind === 'on-scrape') continue;
      this.#arm(instance, run, this.#jitter(instance), Date.now());
    }
  }

  /** Stops scheduling `instance` (or every instance). Running cycles are not aborted here. */
  stop(instance?: Instance): void {
    if (instance !== undefined) {
      clearTimeout(this.#timers.get(instance.name));
      this.#timers.delete(instance.name);
      return;
    }
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #jitter(instance: Instance): number {
    return instance.plan.jitterMs > 0 ? Math.floor(Math.random() * instance.plan.jitterMs) : 0;
  }

  #arm(instance: Instance, run: RunFn, delayMs: number, due: number): void {
    const timer = setTimeout(() => this.#tick(instance, run, due), Math.max(0, delayMs));
    this.#timers.set(instance.name, timer);
    instance.health.nextRunAt = Date.now() + Math.max(0, delayMs);
  }

  #tick(instance: Instance, run: RunFn, due: number): void {
    if (this.#stopped || instance.closed) return;
    if (instance.running !== undefined || instance.straggler !== undefined) {
      // The previous cycle is still running (or outlived its deadline and has not stopped yet).
      instance.health.runs.skipped++;
      instance.logger.debug('skipped a run: the previous cycle is still running');
    } else {
      const cycle = run(instance).finally(() => {
        if (instance.running === cycle) instance.running = undefined;
      });
      instance.running = cycle;
    }
    const schedule = instance.plan.schedule;
    if (schedule.kind === 'interval') {
      // Fixed rate: the next run is due one interval after this one was due, not after it ended.
      let next = due + schedule.everyMs;
      const now = Date.now();
      if (next <= now) next += Math.ceil((now - next + 1) / schedule.everyMs) * schedule.everyMs;
      this.#arm(instance, run, next - now + this.#jitter(instance), next);
    } else if (schedule.kind === 'cron') {
      const wait = Math.max(1, msUntilNextCron(schedule.expression));
      this.#arm(instance, run, wait + this.#jitter(instance), Date.now() + wait);
    }
  }
}
