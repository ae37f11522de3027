import { negotiate as negotiateToken } from '@fastify/accept-negotiator';
import type { ExpositionFormat } from './format.js';

/**
 * Content negotiation for `/metrics`, shared by every host (the exporter, an embedding app), so
 * that each answers scrapers the same way. The choice follows Prometheus' Go client
 * (`expfmt.NegotiateAccept`): the `Accept` header's ranges are tried in order of q-value (more
 * specific first at equal q), each against the formats muster offers; a range matches a format
 * when its type, subtype and `version` agree (`text/plain` without a version means 0.0.4,
 * `application/openmetrics-text` without one means 0.0.1). Nothing matching, no header, or
 * the any-type wildcard alone: text 0.0.4. Two points follow HTTP (RFC 9110) where the Go client does not:
 * a range with `q=0` (or a q-value that is not a number from 0 to 1) is never chosen, and type,
 * subtype and parameter names compare case-insensitively.
 */

/** A format muster can answer with: what it renders and the content type it sends. */
export interface NegotiatedFormat {
  readonly format: ExpositionFormat;
  readonly contentType: string;
}

interface Offer extends NegotiatedFormat {
  readonly type: string;
  readonly subtype: string;
  readonly version: string;
}

/** What muster offers, most preferred first: a wildcard gets the first. */
const OFFERS: readonly Offer[] = [
  { format: 'text', type: 'text', subtype: 'plain', version: '0.0.4', contentType: 'text/plain; version=0.0.4; charset=utf-8' },
  {
    format: 'openmetrics',
    type: 'application',
    subtype: 'openmetrics-text',
    version: '1.0.0',
    contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  },
  // OpenMetrics 0.0.1 is the same text as 1.0.0; a scraper that asks for it is told so.
  {
    format: 'openmetrics',
    type: 'application',
    subtype: 'openmetrics-text',
    version: '0.0.1',
    contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
  },
];

const TEXT = OFFERS[0] as Offer;

/** Longest `Accept` header read; the rest is ignored (a scraper's is under 200 bytes). */
export const MAX_ACCEPT_LENGTH = 4096;

/**
 * The first {@link MAX_ACCEPT_LENGTH} characters of a header, without the list element the limit
 * cuts through: a cut `…;q=0.1` must not be read as q=1, nor `gzip;q=0` as `gzip`.
 */
export function boundedHeader(header: string): string {
  if (header.length <= MAX_ACCEPT_LENGTH) return header;
  const cut = header.slice(0, MAX_ACCEPT_LENGTH);
  // Unless the limit falls exactly on a comma, the last element is incomplete.
  return header[MAX_ACCEPT_LENGTH] === ',' ? cut : cut.slice(0, Math.max(0, cut.lastIndexOf(',')));
}

/** One media range of an `Accept` header. */
interface Range {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly params: ReadonlyMap<string, string>;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/** Parses an `Accept` header into media ranges, best first; malformed ranges are left out. */
export function parseAccept(header: string): Range[] {
  const ranges: (Range & { index: number })[] = [];
  const parts = boundedHeader(header).split(',');
  for (let index = 0; index < parts.length; index++) {
    const [mediaRange = '', ...rawParams] = (parts[index] as string).split(';');
    const slash = mediaRange.trim().toLowerCase().split('/');
    const type = (slash[0] ?? '').trim();
    let subtype: string;
    if (slash.length === 1 && type === '*') subtype = '*';
    else if (slash.length === 2) subtype = (slash[1] as string).trim();
    else continue;
    if (type === '' || subtype === '' || (type === '*' && subtype !== '*')) continue;
    let q = 1;
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      if (eq === -1) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      const value = unquote(param.slice(eq + 1).trim());
      if (name === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      else params.set(name, value);
    }
    if (q <= 0) continue;
    ranges.push({ type, subtype, q, params, index });
  }
  // Highest q first; at equal q a concrete type before `*`, a concrete subtype before `*`, then header order.
  ranges.sort(
    (a, b) =>
      b.q - a.q || Number(a.type === '*') - Number(b.type === '*') || Number(a.subtype === '*') - Number(b.subtype === '*') || a.index - b.index,
  );
  return ranges;
}

function matches(range: Range, offer: Offer): boolean {
  if (range.type === '*' && range.subtype === '*') return true;
  if (range.type !== offer.type) return false;
  if (range.subtype !== '*' && range.subtype !== offer.subtype) return false;
  let version = range.params.get('version') ?? '';
  if (version === '' && range.subtype === 'openmetrics-text') version = '0.0.1';
  if (version === '' && range.subtype === 'plain') version = '0.0.4';
  return version === offer.version;
}

/** Picks the exposition format and content type for an `Accept` header. */
export function negotiate(accept: string | readonly string[] | undefined): NegotiatedFormat {
  const header = typeof accept === 'string' ? accept : accept?.join(',');
  if (header === undefined || header.trim() === '') return TEXT;
  for (const range of parseAccept(header)) {
    const offer = OFFERS.find((o) => matches(range, o));
    if (offer !== undefined) return { format: offer.format, contentType: offer.contentType };
  }
  return { format: TEXT.format, contentType: TEXT.contentType };
}

/** The exposition format for an `Accept` header (see {@link negotiate}). */
export function negotiateFormat(accept: string | readonly string[] | undefined): ExpositionFormat {
  return negotiate(accept).format;
}

/** Codings muster can answer with, preferred first (`x-gzip` is gzip's old name). */
const CODINGS = ['gzip', 'x-gzip', 'identity'];

/**
 * True when an `Accept-Encoding` header prefers gzip to sending the body as it is: q-values
 * honoured (`gzip;q=0` refuses it, `identity` at a higher q wins), `*` means gzip.
 */
export function acceptsGzip(header: string | readonly string[] | undefined): boolean {
  const text = typeof header === 'string' ? header : header?.join(',');
  if (text === undefined || text.trim() === '') return false;
  const chosen = negotiateToken(boundedHeader(text).toLowerCase(), CODINGS);
  return chosen === 'gzip' || chosen === 'x-gzip';
}
