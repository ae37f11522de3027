import type { Gauge, Info, MetricFactory } from '@muster/sdk';
import type { SystemConfig } from './config.js';

/** The metrics of one system instance; a family its config turns off is `undefined`. */
export interface SystemMetrics {
  readonly cpuUsage: Gauge;
  readonly cpuCoreUsage: Gauge<'cpu'> | undefined;
  readonly cpus: Gauge;
  readonly memory: Gauge<'state'> | undefined;
  readonly load: { readonly load1: Gauge; readonly load5: Gauge; readonly load15: Gauge } | undefined;
  readonly uptime: Gauge;
  readonly info: Info<'hostname' | 'platform' | 'arch' | 'release'>;
}

/**
 * Declares the instance's metrics. All are gauges or info, which are current state by default:
 * emptied before every cycle, so /metrics shows exactly what the last cycle wrote. (`collector`
 * and the instance's labels are added by muster.) A family that is turned off is not declared
 * at all, so it never appears, not even as an empty header.
 */
export function declareMetrics(metrics: MetricFactory, config: SystemConfig): SystemMetrics {
  const load = (minutes: 1 | 5 | 15) =>
    metrics.gauge({
      name: `system_load${minutes}`,
      help: `Load average over ${minutes} minute${minutes === 1 ? '' : 's'}, as os.loadavg() reports it (0 on Windows).`,
    });
  return {
    cpuUsage: metrics.gauge({
      name: 'system_cpu_usage_ratio',
      help: 'Fraction of CPU time spent busy (user+nice+sys+irq) over busy+idle, all CPUs, since the previous cycle (first cycle: since boot).',
    }),
    // Bounded by the number of logical CPUs: one series each, labelled by position 0..n-1.
    cpuCoreUsage: config.perCpu
      ? metrics.gauge({
          name: 'system_cpu_core_usage_ratio',
          help: 'Fraction of one logical CPU\'s time spent busy since the previous cycle (first cycle: since boot).',
          labelNames: ['cpu'] as const,
        })
      : undefined,
    cpus: metrics.gauge({ name: 'system_cpus', help: 'Logical CPUs the OS reports (os.cpus().length).' }),
    // Bounded by declaration: three states.
    memory: config.memory
      ? metrics.gauge({
          name: 'system_memory_bytes',
          help: 'Host memory in bytes: total, available (MemAvailable on Linux, free memory elsewhere) and used = total - available.',
          labelNames: ['state'] as const,
        })
      : undefined,
    load: config.load ? { load1: load(1), load5: load(5), load15: load(15) } : undefined,
    uptime: metrics.gauge({ name: 'system_uptime_seconds', help: 'Seconds since the host booted (os.uptime()).' }),
    info: metrics.info({
      name: 'system_info',
      help: 'The host: its name, OS platform, CPU architecture and kernel release, as labels; the value is always 1.',
      labelNames: ['hostname', 'platform', 'arch', 'release'] as const,
    }),
  };
}
