import { createHash } from 'node:crypto';
import { configForTarget, type Plugin, targetKeys, type z } from '@muster/sdk';
import { describeError, isMusterError } from '../errors.js';
import type { PluginLoader } from '../plugins/loader.js';
import { parseDuration } from '@muster/sdk';
import { type ConfigIssue, type IssueContext, issueAt, issuesFromZod } from './issues.js';
import type { PathSegment } from './path.js';
import type { ModulePlan } from './plan.js';
import { credentialsWithoutAllowedTargets } from './module-credentials.js';
import type { InstanceSettings } from './plan.js';
import { resolveInstance } from './resolve-instance.js';
import { MODULE_DEFAULTS, moduleSchema } from './schema.js';
import { compileTargetPattern } from './target-pattern.js';

const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What checking `modules:` needs from the validation of the whole file. */
export interface ModuleCheck {
  readonly loader: PluginLoader;
  readonly dir: string;
  readonly defaults: InstanceSettings;
  readonly context: (schema: z.ZodType) => IssueContext;
  /** The config's secret values, to refuse a module that would hand them to any target. */
  readonly secrets: ReadonlySet<string>;
  /** Adds zod issues (those of values that failed interpolation are left out). */
  readonly report: (found: ConfigIssue[]) => void;
}

/**
 * Checks every entry of `modules:` whole, as `plugins:` entries are: its keys, its plugin (which
 * must take targets), and its config with the plugin's example target filled in, so that a probe
 * can only fail on its target. Returns the plans and the issues found.
 */
export async function planModules(raw: Record<string, unknown>, check: ModuleCheck): Promise<{ modules: ModulePlan[]; issues: ConfigIssue[] }> {
  const modules: ModulePlan[] = [];
  const issues: ConfigIssue[] = [];
  for (const [name, rawEntry] of Object.entries(raw)) {
    const at = (...rest: PathSegment[]) => ['modules', name, ...rest];
    if (!MODULE_NAME.test(name)) {
      issues.push(issueAt(at(), `expected a module name of letters, digits, "_", "." or "-" starting with a letter or digit`));
      continue;
    }
    const parsed = moduleSchema.safeParse(rawEntry, { reportInput: true });
    if (!parsed.success) check.report(issuesFromZod(parsed.error, at(), check.context(moduleSchema)));
    const fields = (rawEntry !== null && typeof rawEntry === 'object' ? rawEntry : {}) as Record<string, unknown>;
    if (typeof fields.use !== 'string' || fields.use === '') continue;
    let plugin: Plugin;
    let pluginUrl: string;
    try {
      ({ plugin, url: pluginUrl } = await check.loader.load(fields.use, check.dir));
    } catch (err) {
      issues.push(issueAt(at('use'), isMusterError(err) ? `${err.message} [${err.code}]` : describeError(err)));
      continue;
    }
    const support = plugin.target;
    if (support === undefined) {
      issues.push(issueAt(at('use'), `plugin "${plugin.name}" takes no target, so it cannot be a module (use it under plugins:)`));
      continue;
    }
    const config = (fields.config !== null && typeof fields.config === 'object' ? fields.config : {}) as Record<string, unknown>;
    const taken = targetKeys(support).filter((key) => key in config);
    for (const key of taken) issues.push(issueAt(at('config', key), `set by each probe's target; a module may not set it`));
    if (taken.length > 0) continue;
    const allowed = Array.isArray(fields.allowedTargets) ? fields.allowedTargets.filter((t): t is string => typeof t === 'string') : undefined;
    const unsafe = credentialsWithoutAllowedTargets(config, allowed, check.secrets);
    if (unsafe !== undefined) issues.push(issueAt(at('allowedTargets'), unsafe));
    let sample: unknown;
    try {
      sample = configForTarget(support, support.example, config);
    } catch (err) {
      issues.push(issueAt(at('use'), `plugin "${plugin.name}" refuses its own example target: ${describeError(err)}`));
      continue;
    }
    const configResult = plugin.configSchema.safeParse(sample, { reportInput: true });
    if (!configResult.success) check.report(issuesFromZod(configResult.error, at('config'), check.context(plugin.configSchema)));
    if (!parsed.success || !configResult.success) continue;
    const entry = parsed.data;
    const settings: InstanceSettings = { schedule: 'on-scrape', timeout: entry.timeout, labels: entry.labels };
    const resolved = resolveInstance({ name, use: entry.use, plugin, pluginUrl, entry: settings, defaults: check.defaults, config: configResult.data });
    if (resolved.issues !== undefined) {
      for (const issue of resolved.issues) issues.push(issueAt(at(...issue.path), issue.message));
      continue;
    }
    const idleText = entry.idleTimeout ?? MODULE_DEFAULTS.idleTimeout;
    const module = {
      name,
      use: entry.use,
      plugin,
      pluginUrl,
      settings,
      defaults: check.defaults,
      timeoutMs: resolved.plan.timeoutMs,
      config,
      allowedTargets: (entry.allowedTargets ?? []).map(compileTargetPattern),
      maxTargets: entry.maxTargets ?? MODULE_DEFAULTS.maxTargets,
      idleMs: parseDuration(idleText) ?? 300_000,
    };
    const digest = createHash('sha256')
      .update(JSON.stringify([module.use, plugin.name, resolved.plan.fingerprint, config, entry.allowedTargets, module.maxTargets, module.idleMs]))
      .digest('hex')
      .slice(0, 16);
    modules.push({ ...module, fingerprint: digest });
  }
  return { modules, issues };
}
