import type { Logger } from '@muster/sdk';

type Fields = Record<string, unknown>;

/** What {@link InstanceLogger} may ask of its parent beyond the SDK's Logger: pino's level check. */
interface LevelAware {
  isLevelEnabled?(level: string): boolean;
}

/**
 * An instance's logger: a child of the host's logger with `collector` and `plugin` on every line,
 * made when the instance first writes a line that its level lets through. Most instances never
 * log, and a pino child costs about 400 bytes; a thousand instances keep one object each instead.
 */
export class InstanceLogger implements Logger {
  readonly #parent: Logger & LevelAware;
  readonly #collector: string;
  readonly #plugin: string;
  #child: Logger | undefined;

  constructor(parent: Logger, collector: string, plugin: string) {
    this.#parent = parent;
    this.#collector = collector;
    this.#plugin = plugin;
  }

  #bound(): Logger {
    if (this.#child === undefined) this.#child = this.#parent.child({ collector: this.#collector, plugin: this.#plugin });
    return this.#child;
  }

  #write(level: 'debug' | 'info' | 'warn' | 'error', a: string | Fields, message: string | undefined): void {
    if (this.#child === undefined && this.#parent.isLevelEnabled?.(level) === false) return;
    const logger = this.#bound();
    if (typeof a === 'string') logger[level](a);
    else if (message === undefined) logger[level](a);
    else logger[level](a, message);
  }

  debug(a: string | Fields, message?: string): void {
    this.#write('debug', a, message);
  }

  info(a: string | Fields, message?: string): void {
    this.#write('info', a, message);
  }

  warn(a: string | Fields, message?: string): void {
    this.#write('warn', a, message);
  }

  error(a: string | Fields, message?: string): void {
    this.#write('error', a, message);
  }

  child(fields: Fields): Logger {
    return this.#bound().child(fields);
  }
}
