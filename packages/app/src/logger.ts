import type { Logger } from '@muster/sdk';

/** Log levels of {@link consoleLogger}, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number] | 'silent';

/**
 * A small JSON-lines logger on stderr, used when the app passes none: muster's own lines (a
 * collector that fails, a scrape hook that throws) at `warn` and above by default. Pass your
 * app's pino logger (fastify's `app.log`) instead to have them in your log stream.
 */
export function consoleLogger(
  level: LogLevel = 'warn',
  write: (line: string) => void = (line) => process.stderr.write(line),
  fields: Record<string, unknown> = { app: 'muster' },
): Logger {
  const min = level === 'silent' ? LOG_LEVELS.length : LOG_LEVELS.indexOf(level);
  const at =
    (name: (typeof LOG_LEVELS)[number]) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      if (LOG_LEVELS.indexOf(name) < min) return;
      const own = typeof a === 'string' ? { msg: a } : { ...a, ...(b === undefined ? {} : { msg: b }) };
      write(`${JSON.stringify({ level: name, time: new Date().toISOString(), ...fields, ...own })}\n`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => consoleLogger(level, write, { ...fields, ...more }),
  };
}
