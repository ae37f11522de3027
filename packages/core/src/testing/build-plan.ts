/**
 * What the config tests share: the test plugins as built-ins, a config file path for
 * `buildPlan`, and readers of the plan or of the issues it refused with.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { ConfigIssue } from '../config/issues.js';
import type { InstancePlan, Plan } from '../config/plan.js';
import { buildPlan } from '../config/validate.js';
import { isMusterError, type MusterError } from '../errors.js';
import { PluginLoader } from '../plugins/loader.js';

/** packages/core/test-fixtures/, seen from dist/testing/. */
export const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
/** A config file that need not exist: only its folder matters (for ./paths and ${file:…}). */
export const CONFIG_FILE = `${FIXTURES}muster.yaml`;

/** A loader whose built-ins are the test plugins (`fixture`, `bare`, `bad-default-schedule`, `targeted`). */
export function newLoader(): PluginLoader {
  return new PluginLoader({
    builtins: {
      fixture: '../../test-fixtures/plugins/good.mjs',
      bare: '../../test-fixtures/plugins/bare.mjs',
      'bad-default-schedule': '../../test-fixtures/plugins/bad-default-schedule.mjs',
      targeted: '../../test-fixtures/plugins/targeted.mjs',
    },
    hostUrls: [import.meta.url],
  });
}

/** The plan of instance `name` (fails the test when there is none). */
export function instance(plan: Plan, name: string): InstancePlan {
  const found = plan.instances.find((i) => i.name === name);
  assert.ok(found !== undefined, `instance ${name} in plan`);
  return found;
}

/** Runs buildPlan on `raw`, expecting MUSTER_ERR_CONFIG_INVALID; returns its issues. */
export async function thrownIssues(raw: unknown, env: NodeJS.ProcessEnv = {}): Promise<{ issues: ConfigIssue[]; message: string }> {
  try {
    await buildPlan(raw, CONFIG_FILE, newLoader(), env);
  } catch (err) {
    assert.ok(isMusterError(err, 'MUSTER_ERR_CONFIG_INVALID'), `expected MUSTER_ERR_CONFIG_INVALID, got ${String(err)}`);
    return { issues: (err as MusterError & { issues: ConfigIssue[] }).issues, message: err.message };
  }
  assert.fail('buildPlan should have thrown');
}

/** {@link thrownIssues}, checking too that the message names the file and every issue, one per line. */
export async function issuesOf(raw: unknown, env: NodeJS.ProcessEnv = {}): Promise<ConfigIssue[]> {
  const { issues, message } = await thrownIssues(raw, env);
  assert.ok(Array.isArray(issues));
  assert.ok(message.includes(CONFIG_FILE));
  assert.ok(message.includes(`${issues.length} error(s)`));
  for (const issue of issues) assert.ok(message.includes(`${issue.path}: ${issue.message}`));
  return issues;
}

/** The issues' paths, sorted. */
export function paths(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => i.path).sort();
}

/** The one issue at `path` (fails the test unless there is exactly one). */
export function issueAt(issues: readonly ConfigIssue[], path: string): ConfigIssue {
  const found = issues.filter((i) => i.path === path);
  assert.equal(found.length, 1, `exactly one issue at ${path}; issues: ${JSON.stringify(issues)}`);
  return found[0] as ConfigIssue;
}
