import type { Logger } from '@muster/sdk';

type Fields = Record<string, unknown>;
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type Write = (...args: unknown[]) => void;

/**
 * What {@link InstanceLogger} may find on its parent beyond the SDK's Logger: the rest of pino's
 * logger, which plugins running in-process have always been given.
 */
interface PinoLike {
  trace?: Write;
  fatal?: Write;
  level?: string;
  isLevelEnabled?(level: string): boolean;
  bindings?(): Fields;
}

/**
 * An instance's logger: a child of the host's logger with `collector` and `plugin` on every line,
 * made when the instance first writes a line its level lets through, or asks for more than a
 * line. Most instances never log, and a pino child costs about 400 bytes; a thousand instances
 * keep one small object each instead. Everything a plugin may use of pino's logger goes to the
 * child as it is: the six levels with all their arguments (`info('%s items', n)`), `child`,
 * `isLevelEnabled`, `bindings` and `level`.
 */
export class InstanceLogger implements Logger {
  readonly #parent: Logger & PinoLike;
  readonly #collector: string;
  readonly #plugin: string;
  #child: (Logger & PinoLike) | undefined;

  constructor(parent: Logger, collector: string, plugin: string) {
    this.#parent = parent;
    this.#collector = collector;
    this.#plugin = plugin;
  }

  #bound(): Logger & PinoLike {
    if (this.#child === undefined) this.#child = this.#parent.child({ collector: this.#collector, plugin: this.#plugin });
    return this.#child;
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && this.#parent.isLevelEnabled?.(level) === false) return;
    (this.#bound()[level] as Write | undefined)?.(...args);
  }

  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }

  debug(a: string | Fields, ...rest: unknown[]): void {
    this.#write('debug', [a, ...rest]);
  }

  info(a: string | Fields, ...rest: unknown[]): void {
    this.#write('info', [a, ...rest]);
  }

  warn(a: string | Fields, ...rest: unknown[]): void {
    this.#write('warn', [a, ...rest]);
  }

  error(a: string | Fields, ...rest: unknown[]): void {
    this.#write('error', [a, ...rest]);
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }

  child(fields: Fields): Logger {
    return this.#bound().child(fields);
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled?.(level) ?? true;
  }

  bindings(): Fields {
    return this.#bound().bindings?.() ?? { collector: this.#collector, plugin: this.#plugin };
  }

  /** The instance's level (pino's); setting it makes the child and changes its level only. */
  get level(): string | undefined {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#bound().level = level;
  }
}
