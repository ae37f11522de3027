import ms from 'ms';

const DURATION = /^\d+(\.\d+)?\s*(ms|s|m|h|d)$/;

/**
 * Parses a duration such as `500ms`, `15s`, `1m`, `2h` into milliseconds.
 * Returns `undefined` when the text is not such a duration or is not positive.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  const value = ms(trimmed as ms.StringValue);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
