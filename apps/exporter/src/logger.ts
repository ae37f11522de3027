import type { Logger } from '@muster/sdk';
import { type LevelWithSilent, pino } from 'pino';

/** A pino logger whose output passes through a redactor that can be swapped once secrets are known. */
export interface RedactingLogger {
  readonly logger: pino.Logger;
  /** Sets the function applied to every log line before it is written. */
  setRedactor(redact: (text: string) => string): void;
}

/** Creates the process logger: JSON lines on stderr (stdout is kept for `muster once`). */
export function createLogger(level: LevelWithSilent = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): RedactingLogger {
  let redact: (text: string) => string = (t) => t;
  const stream = { write: (line: string) => write(redact(line)) };
  const logger = pino({ level, base: { app: 'muster' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return {
    logger,
    setRedactor(fn) {
      redact = fn;
    },
  };
}

/** pino's logger seen through the SDK's Logger interface. */
export function asSdkLogger(logger: pino.Logger): Logger {
  return logger as unknown as Logger;
}
