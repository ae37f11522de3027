/**
 * The response headers a web config may set, as the exporter-toolkit allows them: these five
 * only (so that every Prometheus component behaves alike), names written exactly so, and for two
 * of them a fixed set of values. Every other header (`Content-Type`, …) belongs to the server.
 */
export const ALLOWED_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

/** What is wrong with one configured header; undefined when it may be set. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!Object.hasOwn(ALLOWED_HEADERS, name)) {
    return `header "${name}" cannot be configured: expected one of ${Object.keys(ALLOWED_HEADERS).join(', ')} (names as written here)`;
  }
  const values = ALLOWED_HEADERS[name];
  if (values !== undefined && !values.includes(value)) {
    return `invalid value for ${name}: expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}, found ${JSON.stringify(value)}`;
  }
  return undefined;
}
