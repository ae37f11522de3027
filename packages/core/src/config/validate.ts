import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { z } from '@muster/sdk';
import { createError, describeError, isMusterError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { PluginLoader } from '../plugins/loader.js';
import { parseDuration } from './duration.js';
import { checkNotEmpty } from './empty.js';
import { interpolate } from './interpolate.js';
import { formatPath, type PathSegment } from './path.js';
import type { InstancePlan, Plan } from './plan.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { secretLabelIssues } from './secret-labels.js';
import { configShellSchema, DEFAULTS, type InstanceEntry, instanceSchema } from './schema.js';

/** One problem in a config file. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** How many unknown keys one error names. */
const MAX_KEYS_LISTED = 10;

/** Turns zod issues into config issues, their paths prefixed with `prefix`. */
export function issuesFromZod(error: z.ZodError, prefix: readonly PathSegment[] = []): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      // Quoted as JSON (a key's control characters cannot reach the terminal), and at most
      // MAX_KEYS_LISTED of them: a file of 90,000 unknown keys gets one short line.
      const shown = issue.keys.slice(0, MAX_KEYS_LISTED).map((k) => JSON.stringify(k));
      const more = issue.keys.length - shown.length;
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    }
    return { path: formatPath(path), message };
  });
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

  const parsed = configShellSchema.safeParse(interpolated.value);
  let file: z.output<typeof configShellSchema>;
  if (parsed.success) file = parsed.data;
  else {
    // Report the top-level problems, and still check every plugin entry of the same file.
    report(issuesFromZod(parsed.error));
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
    const entryResult = instanceSchema.safeParse(rawEntry);
    if (!entryResult.success) {
      report(issuesFromZod(entryResult.error, ['plugins', index]));
      continue;
    }
    const entry: InstanceEntry = entryResult.data;
    const at = (key: string) => formatPath(['plugins', index, key]);
    const first = seen.get(entry.name);
    if (first !== undefined) {
      issues.push({
        path: at('name'),
        message: `duplicate instance name "${entry.name}" (first used at plugins[${first}])`,
      });
      continue;
    }
    seen.set(entry.name, index);

    let plugin: Plugin;
    try {
      plugin = (await loader.load(entry.use, dir)).plugin;
    } catch (err) {
      const text = isMusterError(err) ? `${err.message} [${err.code}]` : describeError(err);
      issues.push({ path: at('use'), message: text });
      continue;
    }

    const configResult = plugin.configSchema.safeParse(entry.config ?? {});
    if (!configResult.success) {
      report(issuesFromZod(configResult.error, ['plugins', index, 'config']));
      continue;
    }

    const scheduleText = entry.schedule ?? defaults.schedule ?? plugin.defaults?.schedule ?? DEFAULTS.schedule;
    const schedule = parseSchedule(scheduleText);
    if (typeof schedule === 'string') {
      issues.push({ path: at('schedule'), message: `plugin default schedule: expected ${schedule}` });
      continue;
    }
    const timeoutText = entry.timeout ?? defaults.timeout ?? plugin.defaults?.timeout ?? DEFAULTS.timeout;
    const timeoutMs = parseDuration(timeoutText);
    if (timeoutMs === undefined) {
      issues.push({ path: at('timeout'), message: `plugin default timeout "${timeoutText}" is not a duration` });
      continue;
    }
    if (schedule.kind === 'interval' && timeoutMs > schedule.everyMs) {
      issues.push({
        path: at(entry.timeout !== undefined ? 'timeout' : 'schedule'),
        message: `expected a timeout no longer than the interval; timeout ${timeoutText} > schedule ${schedule.text}`,
      });
      continue;
    }
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
    const config = configResult.data;
    instances.push({
      name: entry.name,
      use: entry.use,
      plugin,
      schedule: schedule as Schedule,
      timeoutMs,
      jitterMs,
      labels,
      onFailure,
      maxSeries,
      config,
      fingerprint: fingerprint([entry.use, plugin.name, scheduleText, timeoutMs, jitterMs, labels, onFailure, maxSeries, config]),
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
