import { cpus } from 'node:os';

/** Milliseconds one logical CPU has spent busy and idle since boot. */
export interface CpuTimes {
  readonly busy: number;
  readonly idle: number;
}

/** The CPU usage between two readings; `undefined` where it cannot be told. */
export interface CpuUsage {
  /** Busy fraction of all CPUs together, 0–1. */
  readonly total: number | undefined;
  /** Busy fraction of each CPU, 0–1, in `os.cpus()` order. */
  readonly perCpu: readonly (number | undefined)[];
}

const SINCE_BOOT: CpuTimes = { busy: 0, idle: 0 };

/**
 * Reads every logical CPU's times from `os.cpus()`. Busy is user + nice + sys + irq. `os.cpus()`
 * reports no iowait, softirq or steal time (on Linux it reads /proc/stat and skips them), so
 * that time counts neither as busy nor as idle.
 */
export function readCpuTimes(): CpuTimes[] {
  return cpus().map(({ times: t }) => ({ busy: t.user + t.nice + t.sys + t.irq, idle: t.idle }));
}

/** The time spent between two readings of one CPU; `undefined` when none was accounted. */
function delta(before: CpuTimes, after: CpuTimes): CpuTimes | undefined {
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  return busy < 0 || idle < 0 || busy + idle === 0 ? undefined : { busy, idle };
}

const ratio = (d: CpuTimes): number => d.busy / (d.busy + d.idle);

/**
 * CPU usage between `previous` and `current`. Without a previous reading, or when the number
 * of CPUs changed since it, the usage is measured since boot (as `vmstat`'s first line is).
 * A CPU with no time accounted in between (readings less than a clock tick apart) is
 * `undefined`, and so is `total` when no CPU has any.
 */
export function cpuUsage(previous: readonly CpuTimes[] | undefined, current: readonly CpuTimes[]): CpuUsage {
  const base = previous?.length === current.length ? previous : [];
  const deltas = current.map((now, i) => delta(base[i] ?? SINCE_BOOT, now));
  const counted = deltas.filter((d) => d !== undefined);
  const sum = counted.reduce((a, d) => ({ busy: a.busy + d.busy, idle: a.idle + d.idle }), SINCE_BOOT);
  return {
    total: counted.length === 0 ? undefined : ratio(sum),
    perCpu: deltas.map((d) => (d === undefined ? undefined : ratio(d))),
  };
}
