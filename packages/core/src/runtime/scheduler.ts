import { msUntilNextCron } from '../config/schedule.js';
import type { Instance } from './instance.js';
import { firstRunAt } from './phase.js';
import { WallTimer } from './wall-timer.js';

/** Starts a cycle of an instance; resolves when it ends. */
export type RunFn = (instance: Instance) => Promise<void>;

interface Slot {
  readonly instance: Instance;
  readonly run: RunFn;
  /** When this run is due (Unix ms, without jitter): the fixed rate counts from here. */
  readonly due: number;
  /** The wake-up time it is filed under. */
  readonly at: number;
}

/**
 * The instances due at one wake-up time: most often one (instances are spread over their
 * interval), kept as it is; a Map of them by name only when several share the time (about 150
 * bytes an instance less for a thousand spread instances).
 */
interface Bucket {
  readonly timer: WallTimer;
  slots: Slot | Map<string, Slot>;
}

/**
 * Runs each scheduled instance on its own schedule: an interval instance first at its phase (a
 * stable offset within the interval from a hash of its name, so instances sharing an interval are
 * spread over it and keep their phase across restarts; at once with `align: true`), then at a fixed
 * rate (`15s`); a cron instance at start, then on each firing. Jitter adds a random delay on top
 * of each run. A tick that finds the instance's previous cycle still
 * running is skipped and counted, so one instance never runs two cycles at once.
 *
 * Instances due at the same millisecond share one timer, and their cycles are all started before
 * any of them continues: a thousand instances on one interval start within a few milliseconds of
 * their due time instead of queueing behind each other's work.
 */
export class Scheduler {
  /** Wake-up time → the instances due then. */
  readonly #buckets = new Map<number, Bucket>();
  readonly #slots = new Map<string, Slot>();
  /**
   * When the runs of instances stopped one by one (a reload) were due and had not started: an
   * instance started again under the same name (changed settings) takes that run over instead
   * of waiting a whole interval, so a reload during a jitter delay loses no run.
   */
  readonly #owed = new Map<string, number>();
  #stopped = false;

  /** Schedules `instances` (on-scrape ones are left to the scrape). */
  start(instances: readonly Instance[], run: RunFn): void {
    this.#stopped = false;
    const now = Date.now();
    for (const instance of instances) {
      const schedule = instance.plan.schedule;
      if (schedule.kind === 'on-scrape') continue;
      const since = Math.min(now, this.#owed.get(instance.name) ?? now);
      const due = schedule.kind === 'interval' && instance.plan.align !== true ? firstRunAt(instance.name, schedule.everyMs, since) : now;
      this.#arm(instance, run, due, this.#jitter(instance));
    }
    this.#owed.clear();
  }

  /** Stops scheduling `instance` (or every instance). Running cycles are not aborted here. */
  stop(instance?: Instance): void {
    if (instance !== undefined) {
      const pending = this.#slots.get(instance.name);
      if (pending !== undefined) this.#owed.set(instance.name, pending.due);
      this.#unfile(instance.name);
      return;
    }
    this.#stopped = true;
    for (const bucket of this.#buckets.values()) bucket.timer.cancel();
    this.#buckets.clear();
    this.#slots.clear();
    this.#owed.clear();
  }

  #jitter(instance: Instance): number {
    return instance.plan.jitterMs > 0 ? Math.floor(Math.random() * instance.plan.jitterMs) : 0;
  }

  /** Files `instance` to run at `due + jitterMs`. */
  #arm(instance: Instance, run: RunFn, due: number, jitterMs: number): void {
    this.#unfile(instance.name);
    const at = Math.max(Date.now(), due + jitterMs);
    const slot: Slot = { instance, run, due, at };
    const bucket = this.#buckets.get(at);
    if (bucket === undefined) {
      const timer = new WallTimer(at, () => this.#fire(at));
      this.#buckets.set(at, { timer, slots: slot });
    } else if (bucket.slots instanceof Map) {
      bucket.slots.set(instance.name, slot);
    } else {
      bucket.slots = new Map([
        [bucket.slots.instance.name, bucket.slots],
        [instance.name, slot],
      ]);
    }
    this.#slots.set(instance.name, slot);
    instance.health.nextRunAt = at;
  }

  #unfile(name: string): void {
    const slot = this.#slots.get(name);
    if (slot === undefined) return;
    this.#slots.delete(name);
    const bucket = this.#buckets.get(slot.at);
    if (bucket === undefined) return;
    if (bucket.slots instanceof Map) bucket.slots.delete(name);
    if (bucket.slots === slot || (bucket.slots instanceof Map && bucket.slots.size === 0)) {
      bucket.timer.cancel();
      this.#buckets.delete(slot.at);
    }
  }

  #fire(at: number): void {
    const bucket = this.#buckets.get(at);
    this.#buckets.delete(at);
    if (bucket === undefined || this.#stopped) return;
    const due = bucket.slots instanceof Map ? [...bucket.slots.values()] : [bucket.slots];
    for (const slot of due) this.#slots.delete(slot.instance.name);
    // Start every due cycle first; their work continues afterwards, interleaved.
    for (const slot of due) this.#tick(slot);
  }

  #tick({ instance, run, due }: Slot): void {
    if (this.#stopped || instance.closed) return;
    if (instance.running !== undefined) {
      // The previous cycle is still running within its deadline. (One whose collect() outlived
      // its deadline is not: the run goes ahead and fails at once with reason `overrun`.)
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
      this.#arm(instance, run, next, this.#jitter(instance));
    } else if (schedule.kind === 'cron') {
      const wait = Math.max(1, msUntilNextCron(schedule.expression));
      this.#arm(instance, run, Date.now() + wait, this.#jitter(instance));
    }
  }
}
