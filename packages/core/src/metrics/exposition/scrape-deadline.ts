/** The margin kept between the scraper's timeout and the deadline for on-scrape instances. */
export const SCRAPE_MARGIN_MS = 250;

/** Milliseconds on-scrape instances may take, from `X-Prometheus-Scrape-Timeout-Seconds`. */
export function scrapeDeadline(header: string | readonly string[] | undefined): number | undefined {
  const text = typeof header === 'string' ? header : header?.[0];
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.max(100, seconds * 1000 - SCRAPE_MARGIN_MS);
}
