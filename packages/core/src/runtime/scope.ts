import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whoever owns the plugin code running in a scope: one instance, or (while a plugin module is
 * imported, before any instance exists) the plugin module itself, which has no `containUnhandled`.
 */
export interface ScopeOwner {
  readonly name: string;
  /** Takes an error the plugin's code raised and nobody handled (see `containment.ts`). */
  containUnhandled?(error: unknown, source: UnhandledSource): void;
}

/** Where an unhandled error surfaced. */
export type UnhandledSource = 'rejection' | 'exception';

const storage = new AsyncLocalStorage<ScopeOwner>();

/**
 * Runs `fn` in `owner`'s async context: every callback, timer and promise continuation it
 * starts carries the owner, so an error escaping from any of them is attributed to it.
 */
export function runInScope<T>(owner: ScopeOwner, fn: () => T): T {
  return storage.run(owner, fn);
}

/** The owner of the code running now, if it is plugin code. */
export function currentOwner(): ScopeOwner | undefined {
  return storage.getStore();
}
