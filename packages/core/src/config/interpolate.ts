import { readFileRef } from './file-ref.js';
import { type ConfigIssue, issueAt } from './issues.js';
import type { PathSegment } from './path.js';

/** A value could not be interpolated; `path` is where in the config it sits. */
/** A problem with a `${…}` value: a config issue at the value's path. */
export type InterpolationIssue = ConfigIssue;

/** The outcome of {@link interpolate}: the new tree, problems, and the values that came from outside. */
export interface InterpolationResult {
  readonly value: unknown;
  readonly issues: readonly InterpolationIssue[];
  /**
   * Values treated as secret and redacted from output: everything read with `${file:…}`,
   * environment values whose variable name or config key suggests a credential, and any value of a
   * key named like a password, token, API key or secret, even written literally.
   */
  readonly secrets: ReadonlySet<string>;
}

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that suggest a credential, in an environment variable or a config key. */
const SECRET_HINT = /pass|secret|token|key|auth|credential|cookie|connection|dsn|private|session|headers/i;

/**
 * Keys whose value is a credential even when written literally in the file (`password: …`,
 * `token: …`, `apiKey: …`, `clientSecret: …`): stricter than {@link SECRET_HINT}, which would take
 * every literal under `headers` or `connection` for a secret and redact ordinary words.
 */
const LITERAL_SECRET_KEY = /(^|[-_a-z])(pass(word|wd|phrase)?|token|api[-_]?key|private[-_]?key|secret)$/i;

/** True when a value interpolated at `path` from `source` must be treated as secret. */
function isSecret(path: readonly PathSegment[], envName?: string): boolean {
  if (envName === undefined) return true; // ${file:…} values are always secret
  return SECRET_HINT.test(envName) || path.some((p) => typeof p === 'string' && SECRET_HINT.test(p));
}

/**
 * Replaces `${NAME}`, `${NAME:-default}` and `${file:PATH}` in every string of `raw`.
 * `$${` stands for a literal `${`. File paths are relative to `baseDir` (the config file's
 * folder); a trailing newline of the file is dropped; see {@link readFileRef} for what may be read.
 */
export function interpolate(
  raw: unknown,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): InterpolationResult {
  const issues: InterpolationIssue[] = [];
  const secrets = new Set<string>();

  const replaceIn = (text: string, path: PathSegment[]): string => {
    if (text.replace(PLACEHOLDER, '').includes('${')) {
      issues.push(issueAt([...path], 'expected "}" to close "${" (write "$${" for a literal "${")'));
      return text;
    }
    return text.replace(PLACEHOLDER, (match, body: string | undefined) => {
      if (match === '$${') return '${';
      const expr = (body ?? '').trim();
      if (expr.startsWith('file:')) {
        const file = expr.slice(5).trim();
        if (file === '') {
          issues.push(issueAt([...path], 'expected a file path after "file:", found nothing'));
          return '';
        }
        const read = readFileRef(file, baseDir, env);
        if (!read.ok) {
          issues.push(issueAt([...path], `cannot read file "${file}" named by \${file:…} (${read.reason})`));
          return '';
        }
        if (read.text !== '' && isSecret(path)) secrets.add(read.text);
        return read.text;
      }
      const sep = expr.indexOf(':-');
      const name = sep === -1 ? expr : expr.slice(0, sep);
      const fallback = sep === -1 ? undefined : expr.slice(sep + 2);
      if (!ENV_NAME.test(name)) {
        issues.push(issueAt([...path], `expected \${NAME}, \${NAME:-default} or \${file:PATH}, found "\${${expr}}"`));
        return '';
      }
      const value = env[name];
      if (value !== undefined && value !== '') {
        if (isSecret(path, name)) secrets.add(value);
        return value;
      }
      if (fallback !== undefined) {
        // The default stands in for the credential: `${DB_PASSWORD:-changeme}` is as secret as its variable.
        if (fallback !== '' && isSecret(path, name)) secrets.add(fallback);
        return fallback;
      }
      issues.push(issueAt([...path], `environment variable ${name} is not set and has no default`));
      return '';
    });
  };

  // One path for the whole walk, extended and cut back around each child: a copy is made only for
  // an issue.
  const path: PathSegment[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const value = node.includes('${') ? replaceIn(node, path) : node;
      const key = path.at(-1);
      if (typeof key === 'string' && LITERAL_SECRET_KEY.test(key) && value !== '') secrets.add(value);
      return value;
    }
    if (Array.isArray(node)) {
      const out = new Array<unknown>(node.length);
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        out[i] = walk(node[i]);
        path.pop();
      }
      return out;
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node)) {
        path.push(key);
        const value = walk((node as Record<string, unknown>)[key]);
        path.pop();
        // A "__proto__" key (JSON.parse and YAML keep it as a key) stays a key that validation
        // refuses, instead of becoming the prototype and smuggling keys in.
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    return node;
  };

  return { value: walk(raw), issues, secrets };
}
