import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { z } from '@muster/sdk';
import { createError, describeError, isMusterError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { PluginLoader } from '../plugins/loader.js';
import { parseDuration } from './duration.js';
import { checkNotEmpty } from './empty.js';
import { interpolate } from './interpolate.js';
import { type ConfigIssue, type IssueContext, issuesFromZod } from './issues.js';
import { formatPath, type PathSegment } from './path.js';
import type { InstancePlan, Plan } from './plan.js';
import { resolveRunOptions } from './run-options.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { secretLabelIssues } from './secret-labels.js';
import { configShellSchema, DEFAULTS, type InstanceEntry, instanceSchema } from './schema.js';
import { effectiveTimeout, isTimeoutProblem } from './timeout.js';

export { type ConfigIssue, issuesFromZod } from './issues.js';

/** The value at `path` in a raw (not yet interpolated) config tree. */
function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment as string | number];
  }
  return node;
}

function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * Validates a whole config (core keys, then each instance's plugin and `config` block) and
 * returns the plan to run. Collects every problem before failing: throws
 * MUSTER_ERR_CONFIG_INVALID whose `details` are `path: message` lines.
 */
export async function buildPlan(
  raw: unknown,
  filepath: string,
  loader: PluginLoader,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Plan> {
  const dir = dirname(filepath);
  const issues: ConfigIssue[] = [];
  checkNotEmpty(raw, filepath);
  const interpolated = interpolate(raw, env, dir);
  issues.push(...interpolated.issues, ...secretLabelIssues(interpolated.value, interpolated.secrets));

  // A value that failed interpolation is reported once, not again by the schema.
  const failedPaths = new Set(interpolated.issues.map((i) => i.path));
  const report = (found: ConfigIssue[]) => issues.push(...found.filter((i) => !failedPaths.has(i.path)));
  // Issues say what was found, where a ${…} value came from, and suggest known keys.
  const rawAt = (path: readonly PathSegment[]) => valueAt(raw, path);
  const context = (schema: z.ZodType): IssueContext => ({ schema, rawAt });
  const asInput = { reportInput: true } as const;

  const parsed = configShellSchema.safeParse(interpolated.value, asInput);
  let file: z.output<typeof configShellSchema>;
  if (parsed.success) file = parsed.data;
  else {
    // Report the top-level problems, and still check every plugin entry of the same file.
    report(issuesFromZod(parsed.error, [], context(configShellSchema)));
    const rawTop = (interpolated.value ?? {}) as Record<string, unknown>;
    const defaultsOnly = configShellSchema.shape.defaults.safeParse(rawTop.defaults);
    file = {
      server: configShellSchema.shape.server.parse({}),
      defaults: defaultsOnly.success ? defaultsOnly.data : {},
      plugins: Array.isArray(rawTop.plugins) ? rawTop.plugins : [],
    };
  }
  const defaults = file.defaults;

  const seen = new Map<string, number>();
  const instances: InstancePlan[] = [];
  for (const [index, rawEntry] of file.plugins.entries()) {
    // Each entry is checked whole: its own keys, and its plugin's config whenever the plugin
    // resolves, so that one run lists every problem of the file.
    const entryResult = instanceSchema.safeParse(rawEntry, asInput);
    if (!entryResult.success) report(issuesFromZod(entryResult.error, ['plugins', index], context(instanceSchema)));
    const rawFields = (rawEntry !== null && typeof rawEntry === 'object' ? rawEntry : {}) as Record<string, unknown>;
    const at = (key: string) => formatPath(['plugins', index, key]);

    const name = entryResult.success ? entryResult.data.name : rawFields.name;
    let duplicate = false;
    if (typeof name === 'string') {
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push({ path: at('name'), message: `duplicate instance name "${name}" (first used at plugins[${first}])` });
        duplicate = true;
      } else seen.set(name, index);
    }

    const use = entryResult.success ? entryResult.data.use : rawFields.use;
    let plugin: Plugin | undefined;
    let pluginUrl = '';
    if (typeof use === 'string' && use !== '') {
      try {
        ({ plugin, url: pluginUrl } = await loader.load(use, dir));
      } catch (err) {
        const text = isMusterError(err) ? `${err.message} [${err.code}]` : describeError(err);
        issues.push({ path: at('use'), message: text });
      }
    }
    if (plugin === undefined) continue;

    const configResult = plugin.configSchema.safeParse(rawFields.config ?? {}, asInput);
    if (!configResult.success) report(issuesFromZod(configResult.error, ['plugins', index, 'config'], context(plugin.configSchema)));
    if (!entryResult.success || !configResult.success || duplicate) continue;
    const entry: InstanceEntry = entryResult.data;

    const scheduleText = entry.schedule ?? defaults.schedule ?? plugin.defaults?.schedule ?? DEFAULTS.schedule;
    const schedule = parseSchedule(scheduleText);
    if (typeof schedule === 'string') {
      issues.push({ path: at('schedule'), message: `plugin default schedule: expected ${schedule}` });
      continue;
    }
    const timeout = effectiveTimeout(
      { instance: entry.timeout, defaults: defaults.timeout, plugin: plugin.defaults?.timeout, muster: DEFAULTS.timeout },
      schedule,
    );
    if (isTimeoutProblem(timeout)) {
      issues.push({ path: at(timeout.key), message: timeout.message });
      continue;
    }
    const timeoutMs = timeout.ms;
    const jitterText = entry.jitter ?? defaults.jitter ?? DEFAULTS.jitter;
    const jitterMs = jitterText === '0' || jitterText === '0ms' ? 0 : (parseDuration(jitterText) ?? 0);
    if (schedule.kind === 'interval' && jitterMs >= schedule.everyMs) {
      issues.push({
        path: at('jitter'),
        message: `expected a jitter shorter than the interval; jitter ${jitterText} >= schedule ${schedule.text}`,
      });
      continue;
    }
    const labels = { ...(defaults.labels ?? {}), ...(entry.labels ?? {}) };
    const onFailure = entry.onFailure ?? defaults.onFailure ?? DEFAULTS.onFailure;
    const maxSeries = entry.maxSeries ?? defaults.maxSeries ?? DEFAULTS.maxSeries;
    const isolation = entry.isolation ?? defaults.isolation ?? DEFAULTS.isolation;
    const workerMemoryMb = entry.workerMemoryMb ?? defaults.workerMemoryMb ?? DEFAULTS.workerMemoryMb;
    const config = configResult.data;
    const runOptions = resolveRunOptions(entry, defaults);
    instances.push({
      name: entry.name,
      use: entry.use,
      plugin,
      schedule: schedule as Schedule,
      timeoutMs,
      timeoutSource: timeout.source,
      ...(timeout.clampedFrom === undefined ? {} : { timeoutClampedFrom: timeout.clampedFrom }),
      jitterMs,
      labels,
      onFailure,
      maxSeries,
      isolation,
      workerMemoryMb,
      pluginUrl,
      config,
      ...runOptions,
      fingerprint: fingerprint([entry.use, plugin.name, scheduleText, timeoutMs, jitterMs, labels, onFailure, maxSeries, isolation, workerMemoryMb, config, runOptions]),
    });
  }

  if (issues.length > 0) throw configInvalid(filepath, issues, interpolated.secrets);
  if (!parsed.success) throw configInvalid(filepath, issues, interpolated.secrets);
  const server = file.server;
  return {
    filepath,
    server: {
      host: server.host,
      port: server.port,
      metricsPath: server.metricsPath,
      requestTimeoutMs: parseDuration(server.requestTimeout) ?? 30_000,
      ...(server.webConfig === undefined ? {} : { webConfig: resolve(dir, server.webConfig) }),
      reloadEndpoint: server.reloadEndpoint,
    },
    instances,
    secrets: interpolated.secrets,
  };
}

type Plugin = InstancePlan['plugin'];

/** The longest message one issue prints: a value quoted in it may be up to the file's size. */
const MAX_MESSAGE_CHARS = 400;

/** `message` cut to {@link MAX_MESSAGE_CHARS}, saying how much was left out. */
function shorten(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters)`;
}

/** The error listing every issue; messages that quote a secret value have it redacted. */
function configInvalid(filepath: string, found: readonly ConfigIssue[], secrets: ReadonlySet<string>) {
  const redact = createRedactor(secrets);
  // Redacted first, then cut: a cut could split a secret where the redactor no longer sees it.
  const issues = found.map((i) => ({ path: i.path, message: shorten(redact(i.message)) }));
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  const err = createError('MUSTER_ERR_CONFIG_INVALID', [filepath, issues.length, lines.map((l) => `  ${l}`).join('\n')]);
  return Object.assign(err, { issues });
}
