import { resolve } from 'node:path';
import type { Plan } from '@muster/core';
import type { LiveWebConfig, LiveWebConfigOptions } from './live.js';
import type { WebSettings } from './load.js';

// The web config's code (its schema, TLS and bcrypt) is imported only when a web config is
// given: without one, `muster start` never loads it.

/**
 * The web config file in force: `--web-config` (relative to the current folder) over
 * `server.webConfig` (already resolved against the config file); undefined when neither is set.
 */
export function webConfigFile(plan: Plan, option: string | undefined): string | undefined {
  return option === undefined ? plan.server.webConfig : resolve(option);
}

/** Reads and checks the web config `muster validate` and `muster start` use; undefined without one. */
export async function readWebConfig(plan: Plan, option: string | undefined): Promise<WebSettings | undefined> {
  const file = webConfigFile(plan, option);
  return file === undefined ? undefined : (await import('./load.js')).loadWebConfig(file);
}

/** {@link readWebConfig}, followed as its files change (for `muster start`). */
export async function openWebConfig(plan: Plan, option: string | undefined, options: LiveWebConfigOptions): Promise<LiveWebConfig | undefined> {
  const settings = await readWebConfig(plan, option);
  return settings === undefined ? undefined : new (await import('./live.js')).LiveWebConfig(settings, options);
}

/** One line saying what a web config turns on, for `muster validate`. */
export function describeWebConfig(settings: WebSettings): string {
  const parts = [settings.tls === undefined ? 'plain HTTP' : `TLS ${settings.tls.minVersion}–${settings.tls.maxVersion}, client certificates: ${settings.tls.clientAuth}`];
  parts.push(`${settings.users.size} basic auth user(s)`);
  const headers = Object.keys(settings.headers);
  if (headers.length > 0) parts.push(`headers: ${headers.join(', ')}`);
  if (settings.rateLimit !== undefined) parts.push(`rate limit: 1 per ${settings.rateLimit.intervalMs} ms, burst ${settings.rateLimit.burst}`);
  return parts.join('; ');
}
