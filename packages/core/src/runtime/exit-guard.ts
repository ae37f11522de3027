import { currentOwner } from './scope.js';

/**
 * Makes `process.exit()`, `process.abort()` and `process.removeAllListeners()` (of all events or of
 * the unhandled-error ones) refuse to run from plugin code: called in a
 * plugin instance's scope (or a plugin module's), they throw instead, and the error is contained
 * like any other the plugin leaves unhandled (its cycle fails; the log names it). Muster's own
 * calls, outside every plugin scope, work as before.
 *
 * Returns a function that puts the originals back.
 */
export function guardProcessExit(): () => void {
  const exit = process.exit;
  const abort = process.abort;
  const refuse = (what: string) => {
    const owner = currentOwner();
    if (owner !== undefined) throw new Error(`plugin code called process.${what}(); refused: a plugin cannot end the exporter (${owner.name})`);
  };
  process.exit = function guardedExit(code?: number | string | null) {
    refuse('exit');
    return exit.call(process, code);
  } as typeof process.exit;
  process.abort = function guardedAbort() {
    refuse('abort');
    return abort.call(process);
  } as typeof process.abort;
  // A plugin that clears the process's listeners would take muster's containment with them.
  const removeAll = process.removeAllListeners;
  process.removeAllListeners = function guardedRemoveAll(event?: string | symbol) {
    if (event === undefined || event === 'uncaughtException' || event === 'unhandledRejection') refuse('removeAllListeners');
    return removeAll.call(process, event);
  } as typeof process.removeAllListeners;
  return () => {
    process.removeAllListeners = removeAll;
    process.exit = exit;
    process.abort = abort;
  };
}
