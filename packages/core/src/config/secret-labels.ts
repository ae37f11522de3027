import { createRedactor } from '../redact.js';
import { type ConfigIssue, issueAt } from './issues.js';
import type { PathSegment } from './path.js';

/** A label value that holds a secret: a config issue at the value's path. */
export type SecretLabelIssue = ConfigIssue;

/**
 * Finds label values (`defaults.labels`, `plugins[i].labels`, and `plugins[i].name`, which is the
 * `collector` label) that hold a secret: a value read
 * with `${file:…}` or from a credential-named variable. Label values are published on `/metrics`
 * for anyone who can scrape it, so such a label is refused at validation instead of redacted.
 */
export function secretLabelIssues(config: unknown, secrets: ReadonlySet<string>): SecretLabelIssue[] {
  if (secrets.size === 0 || config === null || typeof config !== 'object') return [];
  const redact = createRedactor(secrets);
  const issues: SecretLabelIssue[] = [];
  const check = (labels: unknown, at: PathSegment[]) => {
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return;
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value === 'string' && redact(value) !== value) {
        issues.push(
          issueAt(
            [...at, key],
            'a label value may not hold a secret (a value read with ${file:…} or from a credential-named variable): labels are published on /metrics',
          ),
        );
      }
    }
  };
  const top = config as { defaults?: { labels?: unknown }; plugins?: unknown };
  check(top.defaults?.labels, ['defaults', 'labels']);
  if (Array.isArray(top.plugins)) {
    for (const [i, entry] of top.plugins.entries()) {
      const { labels, name } = (entry ?? {}) as { labels?: unknown; name?: unknown };
      check(labels, ['plugins', i, 'labels']);
      // The instance name is the collector="<name>" label of every series it exports.
      if (typeof name === 'string' && redact(name) !== name) {
        issues.push(
          issueAt(
            ['plugins', i, 'name'],
            'an instance name may not hold a secret (a value read with ${file:…} or from a credential-named variable): it is the collector label on /metrics',
          ),
        );
      }
    }
  }
  return issues;
}
