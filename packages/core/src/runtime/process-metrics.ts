import { readdirSync, readFileSync } from 'node:fs';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { InstanceMetrics } from '../metrics/instance-metrics.js';
import { LoopDelay } from './loop-delay.js';

/** Buckets of `nodejs_gc_duration_seconds` (prom-client's). */
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];

const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const START_SECONDS = Math.round(Date.now() / 1000 - process.uptime());
const VERSION_PARTS = process.version.slice(1).split('.');

/** Linux's `/proc/self/status` fields in bytes (VmRSS, VmSize, VmData), or nothing elsewhere. */
function procStatus(): { rss: number; size: number; data: number } | undefined {
  try {
    const text = readFileSync('/proc/self/status', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
    return { rss: field('VmRSS'), size: field('VmSize'), data: field('VmData') };
  } catch {
    return undefined;
  }
}

/** The soft limit of open files (Linux), read once. */
function maxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const value = Number(line?.split(/ {2,}/)[1]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function countBy(names: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** Libuv handles or requests by the name of their class (what prom-client reports). */
function byClass(list: readonly unknown[] | undefined): Map<string, number> {
  return countBy((list ?? []).flatMap((o) => (o !== null && typeof o === 'object' ? [o.constructor.name] : [])));
}

type ProcessInternals = { _getActiveHandles?: () => unknown[]; _getActiveRequests?: () => unknown[] };

/**
 * The process and Node.js runtime metrics of muster's own set: the series prom-client's default
 * metrics export (same names, help and types), written into muster's own metric store. No
 * prom-client is loaded (it cost ~15 MiB resident), and the event-loop delay is sampled only
 * while muster has work under way ({@link LoopDelay}), not a hundred times a second for good.
 */
export class ProcessMetrics {
  /** Hold it around work (cycles, scrapes) so the event-loop delay is sampled meanwhile. */
  readonly loopDelay = new LoopDelay();
  readonly #write: () => void;
  readonly #gc: PerformanceObserver;
  #lag = 0;

  constructor(m: InstanceMetrics) {
    const cpuUser = m.counter({ name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.' });
    const cpuSystem = m.counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.' });
    const cpuTotal = m.counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.' });
    const start = m.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' });
    const rss = m.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' });
    const virtual = m.gauge({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.' });
    const heap = m.gauge({ name: 'process_heap_bytes', help: 'Process heap size in bytes.' });
    const openFds = m.gauge({ name: 'process_open_fds', help: 'Number of open file descriptors.' });
    const maxFdsGauge = m.gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.' });
    const lag = m.gauge({ name: 'nodejs_eventloop_lag_seconds', help: 'Lag of event loop in seconds.' });
    const lagStat = (stat: string, help: string) => m.gauge({ name: `nodejs_eventloop_lag_${stat}_seconds`, help });
    const lagStats = {
      min: lagStat('min', 'The minimum recorded event loop delay.'),
      max: lagStat('max', 'The maximum recorded event loop delay.'),
      mean: lagStat('mean', 'The mean of the recorded event loop delays.'),
      stddev: lagStat('stddev', 'The standard deviation of the recorded event loop delays.'),
      p50: lagStat('p50', 'The 50th percentile of the recorded event loop delays.'),
      p90: lagStat('p90', 'The 90th percentile of the recorded event loop delays.'),
      p99: lagStat('p99', 'The 99th percentile of the recorded event loop delays.'),
    };
    const type = ['type'] as const;
    const resources = m.gauge({
      name: 'nodejs_active_resources',
      help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
      labelNames: type,
    });
    const handles = m.gauge({
      name: 'nodejs_active_handles',
      help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
      labelNames: type,
    });
    const requests = m.gauge({
      name: 'nodejs_active_requests',
      help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      labelNames: type,
    });
    const heapTotal = m.gauge({ name: 'nodejs_heap_size_total_bytes', help: 'Process heap size from Node.js in bytes.' });
    const heapUsed = m.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.' });
    const external = m.gauge({ name: 'nodejs_external_memory_bytes', help: 'Node.js external memory size in bytes.' });
    const space = ['space'] as const;
    const spaces = {
      total: m.gauge({ name: 'nodejs_heap_space_size_total_bytes', help: 'Process heap space size total from Node.js in bytes.', labelNames: space }),
      used: m.gauge({ name: 'nodejs_heap_space_size_used_bytes', help: 'Process heap space size used from Node.js in bytes.', labelNames: space }),
      available: m.gauge({ name: 'nodejs_heap_space_size_available_bytes', help: 'Process heap space size available from Node.js in bytes.', labelNames: space }),
    };
    const version = m.gauge({ name: 'nodejs_version_info', help: 'Node.js version info.', labelNames: ['version', 'major', 'minor', 'patch'] as const });
    const gc = m.histogram({
      name: 'nodejs_gc_duration_seconds',
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      labelNames: ['kind'] as const,
      buckets: GC_BUCKETS,
    });
    this.#gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1];
        if (kind !== undefined) gc.observe({ kind }, entry.duration / 1000);
      }
    });
    this.start();
    const fdLimit = maxFds();
    let cpuSeen = { user: 0, system: 0 };

    this.#write = () => {
      const cpu = process.cpuUsage();
      const user = Math.max(0, cpu.user - cpuSeen.user) / 1e6;
      const system = Math.max(0, cpu.system - cpuSeen.system) / 1e6;
      cpuSeen = cpu;
      cpuUser.inc(user);
      cpuSystem.inc(system);
      cpuTotal.inc(user + system);
      start.set(START_SECONDS);
      const status = procStatus();
      if (status !== undefined) {
        rss.set(status.rss);
        virtual.set(status.size);
        heap.set(status.data);
      }
      try {
        // Minus the descriptor readdirSync itself held.
        openFds.set(readdirSync('/proc/self/fd').length - 1);
      } catch {
        // no procfs: no series
      }
      if (fdLimit !== undefined) maxFdsGauge.set(fdLimit);
      // As prom-client: the lag of one turn of the loop, measured at this render, stated at the next.
      lag.set(this.#lag);
      const started = process.hrtime.bigint();
      setImmediate(() => {
        this.#lag = Number(process.hrtime.bigint() - started) / 1e9;
      });
      const delay = this.loopDelay.read();
      for (const key of ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const) lagStats[key].set(delay[key]);
      for (const [name, n] of countBy(process.getActiveResourcesInfo())) resources.set({ type: name }, n);
      const internals = process as unknown as ProcessInternals;
      for (const [name, n] of byClass(internals._getActiveHandles?.())) handles.set({ type: name }, n);
      for (const [name, n] of byClass(internals._getActiveRequests?.())) requests.set({ type: name }, n);
      const memory = process.memoryUsage();
      heapTotal.set(memory.heapTotal);
      heapUsed.set(memory.heapUsed);
      external.set(memory.external);
      for (const s of getHeapSpaceStatistics()) {
        const name = s.space_name.slice(0, s.space_name.indexOf('_space'));
        spaces.total.set({ space: name }, s.space_size);
        spaces.used.set({ space: name }, s.space_used_size);
        spaces.available.set({ space: name }, s.space_available_size);
      }
      version.set({ version: process.version, major: VERSION_PARTS[0] ?? '', minor: VERSION_PARTS[1] ?? '', patch: VERSION_PARTS[2] ?? '' }, 1);
    };
  }

  /** Writes the current values (within a render cycle of the self metrics). */
  write(): void {
    this.#write();
  }

  /** Observes garbage collections (again, after {@link stop}); done on construction. */
  start(): void {
    this.#gc.observe({ entryTypes: ['gc'] });
  }

  /** Stops the GC observer and the loop sampling (a stopped runtime keeps nothing observing). */
  stop(): void {
    this.#gc.disconnect();
    this.loopDelay.stop();
  }
}
