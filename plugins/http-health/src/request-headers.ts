import { ACCEPT_ENCODING } from './decode.js';

/**
 * The headers of a check's first request: the configured ones with lower-case names (of two
 * names that differ only in case, the later wins), plus muster's `User-Agent` and the
 * `Accept-Encoding` the check decodes, unless the operator set them.
 */
export function requestHeaders(configured: Readonly<Record<string, string>>, userAgent: string | undefined): Record<string, string> {
  // No prototype: a header named __proto__ is a header like any other.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(configured)) headers[name.toLowerCase()] = value;
  // A host older than ctx.userAgent gives none: Node then sends no User-Agent rather than a bad one.
  if (typeof userAgent === 'string' && userAgent !== '') headers['user-agent'] ??= userAgent;
  headers['accept-encoding'] ??= ACCEPT_ENCODING;
  return headers;
}
