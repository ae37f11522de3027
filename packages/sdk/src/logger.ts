/** A structured logger (pino-compatible subset). The first argument may be an object of fields. */
export interface LogFn {
  (message: string): void;
  (fields: Record<string, unknown>, message?: string): void;
}

/** The logger a collector receives as `ctx.logger`, already bound to its instance. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger whose lines carry `fields` too. */
  child(fields: Record<string, unknown>): Logger;
}

const drop: LogFn = () => undefined;

/** A logger that drops every line: for tests, and for code run where nobody reads the log. */
export const silentLogger: Logger = { debug: drop, info: drop, warn: drop, error: drop, child: () => silentLogger };
