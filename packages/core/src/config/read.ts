import type { PluginLoader } from '../plugins/loader.js';
import { loadConfigFile } from './load.js';
import type { Plan } from './plan.js';
import { buildPlan } from './validate.js';

/** Where to read a config from. */
export interface ReadPlanOptions {
  /** `--config FILE`; when absent the config is searched for in `cwd`. */
  readonly file?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Finds, parses, interpolates and validates the config, loading every plugin it names. */
export async function readPlan(loader: PluginLoader, options: ReadPlanOptions = {}): Promise<Plan> {
  const { filepath, raw } = await loadConfigFile(options.file, options.cwd ?? process.cwd());
  return buildPlan(raw, filepath, loader, options.env ?? process.env);
}
