import type { Logger } from '@muster/sdk';

/**
 * A logger whose messages and string fields pass through `redact` (the secrets of the plan in
 * force) before they reach `base`; its children too.
 */
export function redactingLogger(base: Logger, redact: (text: string) => string): Logger {
  const clean = (fields: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? redact(value) : value;
    return out;
  };
  const at =
    (fn: Logger['info']) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      if (typeof a === 'string') fn(redact(a));
      else if (b === undefined) fn(clean(a));
      else fn(clean(a), redact(b));
    };
  return {
    debug: at(base.debug.bind(base)),
    info: at(base.info.bind(base)),
    warn: at(base.warn.bind(base)),
    error: at(base.error.bind(base)),
    child: (fields) => redactingLogger(base.child(fields), redact),
  };
}
