/** The text that stands in for a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Returns a function that replaces every occurrence of any of `secrets` (and their
 * URL-encoded forms) in a text. Values shorter than 4 characters are not treated as secrets:
 * replacing them would mangle ordinary text.
 */
export function createRedactor(secrets: Iterable<string>): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    needles.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) needles.add(encoded);
  }
  if (needles.size === 0) return (text) => text;
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
