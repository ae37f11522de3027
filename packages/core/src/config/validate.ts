import { dirname, resolve } from 'node:path';
import type { z } from '@muster/sdk';
import { createIssuesError, describeError, isMusterError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { PluginLoader } from '../plugins/loader.js';
import { parseDuration } from '@muster/sdk';
import { checkNotEmpty } from './empty.js';
import { interpolate } from './interpolate.js';
import { type ConfigIssue, type IssueContext, issueAt, issuesFromZod } from './issues.js';
import type { PathSegment } from './path.js';
import type { InstancePlan, Plan } from './plan.js';
import { planModules } from './modules.js';
import { resolveInstance } from './resolve-instance.js';
import { secretLabelIssues } from './secret-labels.js';
import { configShellSchema, type InstanceEntry, instanceSchema } from './schema.js';

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
      modules: rawTop.modules !== null && typeof rawTop.modules === 'object' && !Array.isArray(rawTop.modules) ? (rawTop.modules as Record<string, unknown>) : {},
    };
  }
  const defaults = file.defaults;

  const seen = new Map<string, number>();
  const instances: InstancePlan[] = [];
  // Resolved once per plugin reference and config: 10,000 instances of one plugin are one lookup
  // of its package on disk, not 10,000.
  const loads = new Map<string, ReturnType<PluginLoader['load']>>();
  const load = (use: string) => {
    let loading = loads.get(use);
    if (loading === undefined) {
      loading = loader.load(use, dir);
      loads.set(use, loading);
    }
    return loading;
  };
  for (const [index, rawEntry] of file.plugins.entries()) {
    // Each entry is checked whole: its own keys, and its plugin's config whenever the plugin
    // resolves, so that one run lists every problem of the file.
    const entryResult = instanceSchema.safeParse(rawEntry, asInput);
    if (!entryResult.success) report(issuesFromZod(entryResult.error, ['plugins', index], context(instanceSchema)));
    const rawFields = (rawEntry !== null && typeof rawEntry === 'object' ? rawEntry : {}) as Record<string, unknown>;

    const name = entryResult.success ? entryResult.data.name : rawFields.name;
    let duplicate = false;
    if (typeof name === 'string') {
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push(issueAt(['plugins', index, 'name'], `duplicate instance name "${name}" (first used at plugins[${first}])`));
        duplicate = true;
      } else seen.set(name, index);
    }

    const use = entryResult.success ? entryResult.data.use : rawFields.use;
    let plugin: Plugin | undefined;
    let pluginUrl = '';
    if (typeof use === 'string' && use !== '') {
      try {
        ({ plugin, url: pluginUrl } = await load(use));
      } catch (err) {
        const text = isMusterError(err) ? `${err.message} [${err.code}]` : describeError(err);
        issues.push(issueAt(['plugins', index, 'use'], text));
      }
    }
    if (plugin === undefined) continue;

    const configResult = plugin.configSchema.safeParse(rawFields.config ?? {}, asInput);
    if (!configResult.success) report(issuesFromZod(configResult.error, ['plugins', index, 'config'], context(plugin.configSchema)));
    if (!entryResult.success || !configResult.success || duplicate) continue;
    const entry: InstanceEntry = entryResult.data;

    const resolved = resolveInstance({ name: entry.name, use: entry.use, plugin, pluginUrl, entry, defaults, config: configResult.data });
    if (resolved.issues !== undefined) {
      for (const issue of resolved.issues) issues.push(issueAt(['plugins', index, ...issue.path], issue.message));
      continue;
    }
    instances.push(resolved.plan);
  }

  const planned = await planModules(file.modules, { loader, dir, defaults, context, report, secrets: interpolated.secrets });
  issues.push(...planned.issues);

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
    modules: planned.modules,
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
  const issues = found.map((i) => ({ ...i, message: shorten(redact(i.message)) }));
  return createIssuesError('MUSTER_ERR_CONFIG_INVALID', filepath, issues);
}
