import { checkError, type Hop } from './hop.js';

/** The statuses a check follows when `followRedirects` is on; 304 is an answer, not a redirect. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that carry credentials: never sent to another origin than the one they were configured for. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Headers that describe a request body: dropped when a 303 turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

function without(headers: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) if (!names.includes(name)) out[name] = value;
  return out;
}

/**
 * The next hop after a response, or `undefined` when the response is the final one (not a
 * redirect, or a redirect without a `Location` or with an empty one). Rules, as HTTP clients apply them (RFC 9110 §15.4):
 * the `Location` is resolved against the current URL and must be http(s); 303 turns any method
 * but HEAD into a GET without a body; 301, 302, 307 and 308 keep the method and body. A hop to
 * another origin (scheme, host or port) drops the credential headers and the `Host` header the
 * operator set for the first one; a hop to the same origin keeps the URL's credentials. A
 * `Location` sent as UTF-8 bytes is read as UTF-8.
 */
export function redirectHop(from: Hop, status: number, location: string | undefined): Hop | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined || location.trim() === '') return undefined;
  let url: URL;
  try {
    // Node reads header values as latin1: a Location sent as UTF-8 bytes is turned back into its text.
    url = new URL(Buffer.from(location, 'latin1').toString('utf8'), from.url);
  } catch {
    throw checkError('ERR_INVALID_REDIRECT', `status ${status} with a Location that is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw checkError('ERR_INVALID_REDIRECT', `status ${status} redirects to a ${url.protocol} URL; only http and https are followed`);
  }
  url.hash = '';
  let { method, headers, body } = from;
  if (status === 303 && method !== 'HEAD') {
    method = 'GET';
    body = undefined;
    headers = without(headers, BODY_HEADERS);
  }
  if (url.origin !== from.url.origin) {
    headers = without(headers, [...CREDENTIAL_HEADERS, 'host']);
  } else if (url.username === '' && url.password === '') {
    // Credentials of the configured URL stay with its origin, even when the Location names it whole.
    url.username = from.url.username;
    url.password = from.url.password;
  }
  return { url, method, headers, body };
}
