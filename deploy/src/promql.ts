/**
 * The metric names a PromQL expression reads, for checking dashboards and alert rules against
 * the metrics muster really exports. A small scanner, not a parser: it drops strings, label
 * matchers, range selectors and label lists, then keeps identifiers that are not functions,
 * aggregations or keywords.
 */

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/** Grafana's variables, replaced by values that make the expression plain PromQL. */
export function expandGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, '1m')
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, '.*');
}

export function metricNames(expr: string): string[] {
  let text = expandGrafanaVariables(expr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  text = text.replace(/#.*$/gm, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (name === undefined || call !== undefined || KEYWORDS.has(name)) continue;
    names.add(name);
  }
  return [...names].sort();
}
