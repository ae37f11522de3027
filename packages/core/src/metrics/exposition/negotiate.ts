import type { ExpositionFormat } from './format.js';

/**
 * Content negotiation for `/metrics`, shared by every host (the exporter, an embedding app), so
 * that each answers scrapers the same way.
 */

/** Picks the exposition format from an `Accept` header: OpenMetrics when asked for with q > 0. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return 'text';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';').map((s) => s.trim());
    if (type !== 'application/openmetrics-text') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return 'openmetrics';
  }
  return 'text';
}

/** The margin kept between the scraper's timeout and the deadline for on-scrape instances. */
export const SCRAPE_MARGIN_MS = 250;

/** Milliseconds on-scrape instances may take, from `X-Prometheus-Scrape-Timeout-Seconds`. */
export function scrapeDeadline(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.max(100, seconds * 1000 - SCRAPE_MARGIN_MS);
}

/** True when an `Accept-Encoding` header accepts gzip (q > 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text === undefined) return false;
  for (const part of text.split(',')) {
    const [coding, ...params] = part.trim().split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
