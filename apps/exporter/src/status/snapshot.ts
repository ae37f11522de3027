import type { Instance, Runtime } from '@muster/core';
import { HISTORY_SIZE, hideUserinfo } from '@muster/core';
import type { InstanceState, InstanceStatus, ModuleStatus, StatusSnapshot } from './render.js';

/** What the status page needs besides the runtime. */
export interface StatusContext {
  readonly runtime: Runtime;
  readonly metricsPath: string;
  readonly version: string;
}

function stateOf(instance: Instance): InstanceState {
  const h = instance.health;
  if (!h.settled) return 'pending';
  return h.up ? 'up' : 'down';
}

/**
 * One instance's status: plan fields (name, plugin, schedule, timeout, labels) and health fields
 * only — never its `config`, which may hold credentials. Error text is core's redacted line,
 * passed through the redactor once more; labels too, in case one was interpolated from a secret.
 */
function instanceStatus(instance: Instance, context: StatusContext): InstanceStatus {
  const { runtime, metricsPath } = context;
  const { plan, health } = instance;
  const redact = (text: string) => runtime.redact(text);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.labels)) labels[key] = redact(value);
  const state = stateOf(instance);
  return {
    name: plan.name,
    plugin: plan.plugin.name,
    schedule: plan.schedule.text,
    onScrape: plan.schedule.kind === 'on-scrape',
    timeoutMs: plan.timeoutMs,
    labels,
    state,
    reason: state === 'down' ? (health.reason ?? 'error') : null,
    target: health.target === undefined ? null : { healthy: health.target.healthy, reason: health.target.reason ?? null },
    error: state === 'down' && health.lastError !== undefined ? redact(health.lastError) : null,
    running: instance.running !== undefined,
    overrunSince: instance.slot.overrunSince ?? null,
    lastRunAt: health.lastRunAt === 0 ? null : health.lastRunAt,
    lastDurationSeconds: health.settled ? health.lastDurationSeconds : null,
    lastSuccessAt: health.lastSuccessSeconds === 0 ? null : Math.round(health.lastSuccessSeconds * 1000),
    nextRunAt: health.nextRunAt ?? null,
    consecutiveFailures: health.consecutiveFailures,
    series: health.series,
    runs: { ...health.runs },
    history: instance.history.entries(),
    metricsUrl: `${metricsPath}?collector=${encodeURIComponent(plan.name)}`,
  };
}

/** A target as the page shows it: without the user and password a URL may carry, secrets redacted. */
function shownTarget(target: string, runtime: Runtime): string {
  return runtime.redact(hideUserinfo(target));
}

/** Each module's kept targets, totals and last probes, newest first. */
function moduleStatuses(runtime: Runtime): ModuleStatus[] {
  const { prober } = runtime;
  return prober.modules.map((m) => ({
    name: m.name,
    plugin: m.plugin.name,
    targets: prober.cache.size(m.name),
    probes: prober.log.totals(m.name),
    recent: [...prober.log.recent(m.name)].reverse().map((p) => ({
      at: p.at,
      target: shownTarget(p.target, runtime),
      success: p.success,
      reason: p.reason ?? null,
      durationSeconds: p.durationSeconds,
    })),
  }));
}

/** The whole status, as `GET /api/status` answers it and the page renders it. */
export function statusSnapshot(context: StatusContext): StatusSnapshot {
  const { runtime } = context;
  return {
    version: context.version,
    node: process.version,
    startedAt: runtime.startedAt,
    now: Date.now(),
    config: runtime.plan?.filepath ?? null,
    metricsPath: context.metricsPath,
    ready: runtime.ready,
    historySize: runtime.instances[0]?.history.capacity ?? HISTORY_SIZE,
    instances: runtime.instances.map((i) => instanceStatus(i, context)),
    modules: moduleStatuses(runtime),
  };
}
