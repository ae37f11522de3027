import type { Logger } from '@muster/sdk';
import type { Instance } from './instance.js';

/** How often the watch looks at the event loop. */
const TICK_MS = 50;
/** A delay of the watch's timer beyond this is a stall worth naming. */
export const STALL_THRESHOLD_MS = 100;

/**
 * Notices event-loop stalls and names the suspects. A timer ticks every {@link TICK_MS}; when it
 * fires late by more than {@link STALL_THRESHOLD_MS}, something ran synchronously that long. The
 * suspects are the in-process instances whose collect() call blocked for at least half of the
 * gap before its first await; failing that, those whose collect() was under way for at least half
 * of it (blocking code after an await: two cycles under way side by side are both named). Each one's `muster_collector_stall_seconds_total` grows by the stall, and one log line
 * names them. The timer runs only while plugin code may run: from the start of an in-process
 * collect() until a tick finds none under way since the last one, so an idle exporter is not
 * woken twenty times a second.
 */
export class StallWatch {
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #armed = false;
  #last = 0;
  /** Main-thread CPU microseconds at the last tick. */
  #lastCpu = 0;
  /** Instances whose collect() was running at the last tick (or started since). */
  #active = new Set<Instance>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Arms the watch: its timer runs while in-process plugin code may run (see {@link collecting}). */
  start(): void {
    this.#armed = true;
  }

  stop(): void {
    this.#armed = false;
    this.#pause();
    this.#active.clear();
  }

  #resume(): void {
    if (this.#timer !== undefined || !this.#armed) return;
    this.#last = performance.now();
    this.#lastCpu = threadCpuMicros();
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
  }

  #pause(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Called by the runner when an in-process collect() starts: it is a suspect until the next tick. */
  collecting(instance: Instance): void {
    // Unarmed (a runtime only ever run once, as tests and `muster once` do), no tick would let go
    // of the instance: a replaced one would be kept for the life of the process.
    if (!this.#armed || instance.plan.isolation === 'worker') return;
    this.#active.add(instance);
    this.#resume();
  }

  #tick(): void {
    const now = performance.now();
    const cpu = threadCpuMicros();
    const late = now - this.#last - TICK_MS;
    const ranMs = (cpu - this.#lastCpu) / 1000;
    this.#last = now;
    this.#lastCpu = cpu;
    const suspects = [...this.#active];
    // Every in-process collect() is announced through collecting(): the ones still under way are
    // among the suspects, so no walk over every instance is needed.
    this.#active = new Set(suspects.filter((i) => i.slot.collecting !== undefined));
    // Idle between cycles: no timer wakes the process until the next collect() starts.
    if (suspects.length === 0) this.#pause();
    // A late timer on a machine that did not run us is no stall: the thread must have been busy.
    if (late < STALL_THRESHOLD_MS || ranMs < STALL_THRESHOLD_MS) return;
    const seconds = late / 1000;
    const gapStart = now - late - TICK_MS;
    const covers = (from: number, to: number) => Math.min(to, now) - Math.max(from, gapStart) >= late / 2;
    // First, whose collect() call itself blocked for most of the gap (code before its first await);
    // else, whose collect() was under way for most of it (blocking code after an await).
    let culprits = suspects.filter((i) => i.slot.syncSpan !== undefined && covers(i.slot.syncSpan.from, i.slot.syncSpan.to));
    if (culprits.length === 0) culprits = suspects.filter((i) => covers(i.slot.collectStartedAt, i.slot.collectEndedAt ?? now));
    const names = culprits.map((i) => i.name);
    for (const i of culprits) i.slot.stallSeconds += seconds;
    if (names.length === 0) {
      this.#logger.debug({ stallMs: Math.round(late) }, 'the event loop stalled while no plugin code ran');
      return;
    }
    this.#logger.warn(
      { stallMs: Math.round(late), collectors: names, ...(names.length === 1 ? { collector: names[0] } : {}) },
      names.length === 1 ? 'the event loop stalled while this instance\'s cycle ran (blocking code in its plugin)' : 'the event loop stalled while the cycles of these instances ran',
    );
  }
}

/** CPU time this thread has used, in microseconds. */
function threadCpuMicros(): number {
  const { user, system } = process.threadCpuUsage();
  return user + system;
}
