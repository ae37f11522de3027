/**
 * The one redactor of muster: core redacts configured secrets from logs, error messages and the
 * status page with it, and plugins redact their own (a password, a connection string) from what
 * they log and report.
 */

/** The text that stands in for a secret. */
export const REDACTED = '[REDACTED]';

/** Shorter values (and lines of a multi-line value) are not searched for: replacing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** A string as it reads inside a JSON (or JavaScript) string literal, without the quotes. */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

/** A string as HTML shows it. */
const htmlEscaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Every form in which `secret` may reach a text muster writes: raw; URL-encoded (as a component
 * and as a whole URL); JSON-escaped
 * (an error message quoting it with `JSON.stringify`, the text exposition's label escaping) and
 * JSON-escaped twice (that message inside a JSON log line or a JSON answer); YAML single-quoted;
 * HTML-escaped. A multi-line secret also yields each of its lines, in every form, so that a
 * message holding one line of it, or a text cut in the middle of it, still shows none of it.
 */
export function secretForms(secret: string): Set<string> {
  const forms = new Set<string>();
  const pieces = new Set([secret]);
  if (/[\r\n]/.test(secret)) {
    for (const line of secret.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_SECRET_LENGTH) pieces.add(trimmed);
    }
  }
  for (const piece of pieces) {
    if (piece.length < MIN_SECRET_LENGTH) continue;
    const once = jsonEscaped(piece);
    for (const form of [piece, encodeURIComponent(piece), encodeURI(piece), once, jsonEscaped(once), piece.replace(/'/g, "''"), htmlEscaped(piece)]) {
      forms.add(form);
    }
  }
  return forms;
}

/**
 * Returns a function that replaces every occurrence of any of `secrets`, in any of the forms of
 * {@link secretForms}, in a text. Values shorter than {@link MIN_SECRET_LENGTH} characters, and
 * `undefined` (an optional setting left out), are not treated as secrets.
 */
export function createRedactor(secrets: Iterable<string | undefined>): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) if (secret !== undefined) for (const form of secretForms(secret)) needles.add(form);
  if (needles.size === 0) return (text) => text;
  // Longest first, so that a whole secret is replaced rather than one of its lines.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
