import type { Logger } from '@muster/sdk';
import { describeError } from '../errors.js';
import { guardProcessExit } from './exit-guard.js';
import { currentOwner, type ScopeOwner, type UnhandledSource } from './scope.js';

/** What {@link containErrors} reports to its host. */
export interface ContainmentOptions {
  readonly logger: Logger;
  /** Turns error text into something safe to log. */
  readonly redact: (text: string) => string;
  /** Called for every unhandled error no plugin instance can be blamed for. */
  readonly onUnattributed: (source: UnhandledSource) => void;
  /**
   * Called for an uncaught exception outside any plugin's scope: muster's own bug. The host
   * decides what to do (the CLI exits with status 70); the state of the process is unknown.
   */
  readonly onBug: (error: unknown) => void;
}

/**
 * Installs the process-wide handlers of unhandled rejections and uncaught exceptions. Plugin
 * code runs in its instance's async context (`scope.ts`), so an error escaping from a callback,
 * timer or promise it started is handed to that instance: logged with its name and plugin,
 * counted, and its current or next cycle fails with reason `unhandled`; the process stays up.
 *
 * A rejection is attributed to the context it was raised in (the I/O or timer callback that
 * rejected it), which is the plugin's own for every promise a plugin settles from its own
 * callbacks. A rejection with no owner is logged and counted, and the process stays up (a
 * rejection leaves no half-run code behind). An uncaught exception with no owner is muster's own
 * bug: logged as such and handed to `onBug`.
 *
 * Returns a function that removes the handlers.
 */
export function containErrors(options: ContainmentOptions): () => void {
  const { logger, redact } = options;
  /** An error of a plugin module's own top-level code (timers it started on import): logged and counted, not a muster bug. */
  const moduleError = (owner: { name: string }, error: unknown, source: UnhandledSource) => {
    options.onUnattributed(source);
    logger.error({ module: owner.name, source, err: redact(describeError(error)).slice(0, 500) }, 'unhandled error in a plugin module, outside any instance; the process goes on');
  };
  /** Hands a plugin's error to its owner; never throws, whatever the plugin threw. */
  const contain = (owner: ScopeOwner, error: unknown, source: UnhandledSource) => {
    try {
      if (owner.containUnhandled !== undefined) owner.containUnhandled(error, source);
      else moduleError(owner, error, source);
    } catch (err) {
      logger.error({ module: owner.name, source, failure: describeError(err) }, 'an error of plugin code could not be described; contained all the same');
    }
  };
  const onRejection = (reason: unknown) => {
    const owner = currentOwner();
    if (owner !== undefined) {
      contain(owner, reason, 'rejection');
      return;
    }
    options.onUnattributed('rejection');
    logger.error({ err: redact(describeError(reason)).slice(0, 500) }, 'unhandled rejection outside any plugin instance; the process goes on');
  };
  const onException = (error: unknown) => {
    const owner = currentOwner();
    if (owner !== undefined) {
      contain(owner, error, 'exception');
      return;
    }
    options.onUnattributed('exception');
    let stack: string;
    try {
      stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : describeError(error);
    } catch {
      stack = describeError(error);
    }
    logger.error({ err: redact(stack).slice(0, 4000) }, 'uncaught exception outside any plugin instance: this is a bug in muster');
    options.onBug(error);
  };
  // A rejection handled after it was reported (the second of two awaited requests): already
  // contained and counted; this listener replaces Node's PromiseRejectionHandledWarning on stderr.
  const onHandledLater = () => logger.debug('a contained rejection was handled later by the plugin');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  process.on('rejectionHandled', onHandledLater);
  const unguard = guardProcessExit();
  return () => {
    unguard();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    process.off('rejectionHandled', onHandledLater);
  };
}

/** How {@link containErrors} describes a source in logs. */
export function sourceText(source: UnhandledSource): string {
  return source === 'rejection' ? 'an unhandled promise rejection' : 'an exception thrown from a callback or timer';
}
