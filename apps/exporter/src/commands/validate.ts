import type { InstancePlan } from '@muster/core';
import { createCommandContext } from '../command-context.js';
import { describeWebConfig, readWebConfig } from '../web-config/open.js';
import { reportError } from './report.js';

/** Where an instance's timeout came from, in words; `(clamped …)` when the interval shortened an inherited one. */
function timeoutOrigin(i: InstancePlan): string {
  const from = { instance: 'set on the instance', defaults: 'from defaults.timeout', plugin: "the plugin's default", muster: "muster's default" }[
    i.timeoutSource ?? 'instance'
  ];
  return i.timeoutClampedFrom === undefined ? from : `${from} ${i.timeoutClampedFrom}, clamped to the interval`;
}

/** One instance of a valid config: plugin, schedule and timeout; with `verbose`, every effective setting and its origin. */
function describeInstance(i: InstancePlan, verbose: boolean): string {
  const line = `  ${i.name}: ${i.plugin.name}, schedule ${i.schedule.text}, timeout ${i.timeoutMs}ms`;
  if (!verbose) return `${line}${i.timeoutClampedFrom === undefined ? '' : ` (clamped to the interval from ${i.timeoutClampedFrom})`}\n`;
  const labels = Object.keys(i.labels).join(', ');
  return `${line} (${timeoutOrigin(i)}), jitter ${i.jitterMs}ms, onFailure ${i.onFailure}, maxSeries ${i.maxSeries}, labels [${labels}]\n`;
}

/**
 * `muster validate [--verbose]`: reads and checks the whole config, and the web config (`--web-config`
 * or `server.webConfig`) with the same code `muster start` uses; prints every error with its path.
 */
export async function validateCommand(options: { config?: string; webConfig?: string; verbose?: boolean }): Promise<number> {
  const { host } = createCommandContext({ logLevel: 'silent', ...(options.config === undefined ? {} : { config: options.config }) });
  try {
    const plan = await host.readPlan();
    const web = await readWebConfig(plan, options.webConfig);
    const modules = plan.modules ?? [];
    process.stdout.write(`${plan.filepath}: valid, ${plan.instances.length} instance(s)${modules.length === 0 ? '' : `, ${modules.length} module(s)`}\n`);
    for (const i of plan.instances) process.stdout.write(describeInstance(i, options.verbose === true));
    for (const m of modules) process.stdout.write(`  module ${m.name}: ${m.plugin.name}, timeout ${m.timeoutMs} ms, ${m.allowedTargets.length === 0 ? 'any target' : `${m.allowedTargets.length} allowedTargets pattern(s)`}\n`);
    if (web !== undefined) process.stdout.write(`${web.file}: valid web config (${describeWebConfig(web)})\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}
