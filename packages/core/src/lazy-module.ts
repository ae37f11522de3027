import { createRequire } from 'node:module';

const requireFromCore = createRequire(import.meta.url);

/**
 * A getter of the dependency `name`, loaded (synchronously, as core's own dependency) the first
 * time the getter is called: code only some configs use (cron and luxon, the `yaml` package,
 * re2js) then costs no start-up time or memory in the others.
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireFromCore(name) as T;
    return loaded;
  };
}
