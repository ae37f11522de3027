const UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration as Go's `time.ParseDuration` writes it (`1s`, `500ms`, `1m30s`, `1.5h`; `0`
 * alone), in milliseconds; undefined when `text` is not one.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (match === null) return undefined;
  let total = 0;
  for (const part of (match[2] as string).matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNITS_MS[part[2] as string] as number);
  }
  return match[1] === '-' ? -total : total;
}
