import { configForTarget, type Logger } from '@muster/sdk';
import type { ModulePlan } from '../config/plan.js';
import { issuesFromZod } from '../config/issues.js';
import { resolveInstance } from '../config/resolve-instance.js';
import { createError, describeError } from '../errors.js';
import { hideUserinfo } from '../hide-userinfo.js';
import { FamilyRegistry } from '../metrics/families.js';
import { Instance, type InstanceHost } from '../runtime/instance.js';
import { runCycle } from '../runtime/cycle.js';
import { probeLogger } from './probe-logger.js';
import { ProbeLog } from './recent.js';
import { probeText } from './probe-text.js';
import { type CachedTarget, TargetCache, targetKey } from './target-cache.js';

/** The longest target accepted; Prometheus' relabelled targets are far shorter. */
const MAX_TARGET_CHARS = 2048;
/** How long past its deadline a probe waits for a shared cycle cut at that deadline. */
const PROBE_GRACE_MS = 50;

/** Options of {@link Prober.probe}. */
export interface ProbeOptions {
  /** The scraper's own deadline in milliseconds (from X-Prometheus-Scrape-Timeout-Seconds). */
  readonly scrapeTimeoutMs?: number;
}

/** A probe's answer: the text-format body (the plugin's series, then the probe's own). */
export interface ProbeAnswer {
  readonly body: string;
  readonly success: boolean;
}

/** How much of a scrape's timeout a probe leaves for the answer to travel: 10 %, at most 500 ms. */
export function probeDeadlineMs(moduleTimeoutMs: number, scrapeTimeoutMs?: number): number {
  if (scrapeTimeoutMs === undefined || !Number.isFinite(scrapeTimeoutMs) || scrapeTimeoutMs <= 0) return moduleTimeoutMs;
  return Math.max(1, Math.min(moduleTimeoutMs, scrapeTimeoutMs - Math.min(500, scrapeTimeoutMs / 10)));
}

/** One line, short: a plugin's error text as a 400's reason. */
function oneLine(text: string): string {
  const line = [...text].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('').replace(/ +/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Runs `GET /probe?module=M&target=T`: one cycle of the module's plugin for that target, under
 * the probe's deadline, with the target's collector kept between probes (see {@link TargetCache}).
 * Concurrent probes of one target share one cycle.
 */
export class Prober {
  readonly cache = new TargetCache();
  readonly log = new ProbeLog();
  readonly #families = new FamilyRegistry();
  readonly #host: InstanceHost;
  readonly #redact: () => (text: string) => string;
  #modules = new Map<string, ModulePlan>();

  constructor(host: { readonly logger: Logger; readonly userAgent: string; readonly redact: () => (text: string) => string }) {
    this.#redact = host.redact;
    this.#host = { families: this.#families, logger: probeLogger(host.logger), userAgent: host.userAgent, redact: (t) => this.#redact()(t) };
  }

  /** The modules in force, in config order. */
  get modules(): readonly ModulePlan[] {
    return [...this.#modules.values()];
  }

  /** Switches to the modules of a new plan; targets of changed or removed modules are closed. */
  setModules(modules: readonly ModulePlan[]): void {
    this.#modules = new Map(modules.map((m) => [m.name, m]));
    this.cache.retain(modules);
    this.log.retain(modules.map((m) => m.name));
  }

  /**
   * Probes `target` with `moduleName`. Throws a MusterError (answered 400) for an unknown module,
   * a missing target, or a target the module does not allow or the plugin refuses; a target that
   * fails its check is an answer with `muster_probe_success 0`.
   */
  async probe(moduleName: string | undefined, target: string | undefined, options: ProbeOptions = {}): Promise<ProbeAnswer> {
    const module = moduleName === undefined ? undefined : this.#modules.get(moduleName);
    if (module === undefined) {
      const known = [...this.#modules.keys()];
      throw createError('MUSTER_ERR_PROBE_MODULE', [oneLine(moduleName ?? '(none)').slice(0, 100), known.length === 0 ? '(none)' : known.join(', ')]);
    }
    if (target === undefined || target === '') throw createError('MUSTER_ERR_PROBE_TARGET_MISSING', []);
    if (target.length > MAX_TARGET_CHARS) throw createError('MUSTER_ERR_PROBE_TARGET_REFUSED', [module.name, `longer than ${MAX_TARGET_CHARS} characters`]);
    if (module.allowedTargets.length > 0 && !module.allowedTargets.some((re) => re.test(target))) {
      throw createError('MUSTER_ERR_PROBE_TARGET_REFUSED', [module.name, 'it matches none of the module\'s allowedTargets']);
    }
    const started = performance.now();
    const at = Date.now();
    const entry = this.cache.get(module.name, target) ?? this.cache.add(module, target, this.#instanceFor(module, target));
    const deadlineMs = probeDeadlineMs(module.timeoutMs, options.scrapeTimeoutMs);
    const finished = await this.#shared(entry, deadlineMs);
    const { health } = entry.instance;
    const verdict = health.target;
    const success = finished && health.up && verdict?.healthy !== false;
    const reason = success ? undefined : !finished ? 'timeout' : (verdict?.reason ?? health.reason ?? 'error');
    const durationSeconds = (performance.now() - started) / 1000;
    this.log.record(module.name, { at, target, success, durationSeconds, ...(reason === undefined ? {} : { reason }) });
    const series = finished && health.up ? entry.store.bodyBuffer('text', entry.instance.name).toString('utf8') : '';
    return { body: series + probeText({ success, durationSeconds, ...(reason === undefined ? {} : { reason }) }), success };
  }

  /** Closes every target's collector. */
  close(): Promise<void> {
    return this.cache.close();
  }

  /** The instance of one target: the module's settings resolved as any instance's are. */
  #instanceFor(module: ModulePlan, target: string): Instance {
    let raw: unknown;
    try {
      raw = configForTarget(module.plugin.target ?? { example: '' }, target, module.config);
    } catch (err) {
      throw createError('MUSTER_ERR_PROBE_TARGET_REFUSED', [module.name, oneLine(describeError(err))]);
    }
    const parsed = module.plugin.configSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      const first = issuesFromZod(parsed.error, [], { schema: module.plugin.configSchema })[0];
      throw createError('MUSTER_ERR_PROBE_TARGET_REFUSED', [module.name, oneLine(first === undefined ? 'invalid' : `${first.path}: ${first.message}`)]);
    }
    const resolved = resolveInstance({
      // Logs name the collector: a URL's user and password stay out of them.
      name: hideUserinfo(targetKey(module.name, target).replace('\u0000', '/')),
      use: module.use,
      plugin: module.plugin,
      ...(module.pluginUrl === undefined ? {} : { pluginUrl: module.pluginUrl }),
      // A failed probe shows no stale series of the previous one; one worker thread per target
      // would not stay bounded, so probes run in-process.
      entry: { ...module.settings, onFailure: 'drop', isolation: 'in-process' },
      defaults: module.defaults,
      config: parsed.data,
      collectorLabel: false,
    });
    if (resolved.issues !== undefined) throw createError('MUSTER_ERR_PROBE_TARGET_REFUSED', [module.name, oneLine(resolved.issues[0]?.message ?? 'invalid')]);
    return new Instance(resolved.plan, this.#host);
  }

  /** Runs the target's cycle, or joins the one running; false when the deadline passed first. */
  async #shared(entry: CachedTarget, deadlineMs: number): Promise<boolean> {
    const { instance } = entry;
    let cycle = instance.running;
    if (cycle === undefined) {
      const started = runCycle(instance, entry.store, { redact: this.#redact(), deadlineMs }).finally(() => {
        if (instance.running === started) instance.running = undefined;
        this.cache.trim(entry.module, entry);
      });
      instance.running = started;
      cycle = started;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs + PROBE_GRACE_MS);
    });
    const done = await Promise.race([cycle.then(() => true as const), late]);
    clearTimeout(timer);
    return done;
  }
}
