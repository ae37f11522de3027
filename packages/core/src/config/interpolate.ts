import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { formatPath, type PathSegment } from './path.js';

/** A value could not be interpolated; `path` is where in the config it sits. */
export interface InterpolationIssue {
  readonly path: string;
  readonly message: string;
}

/** The outcome of {@link interpolate}: the new tree, problems, and the values that came from outside. */
export interface InterpolationResult {
  readonly value: unknown;
  readonly issues: readonly InterpolationIssue[];
  /**
   * Values treated as secret and redacted from output: everything read with `${file:…}`, and
   * environment values whose variable name or config key suggests a credential.
   */
  readonly secrets: ReadonlySet<string>;
}

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that suggest a credential, in an environment variable or a config key. */
const SECRET_HINT = /pass|secret|token|key|auth|credential|cookie|connection|dsn|private|session|headers/i;

/** True when a value interpolated at `path` from `source` must be treated as secret. */
function isSecret(path: readonly PathSegment[], envName?: string): boolean {
  if (envName === undefined) return true; // ${file:…} values are always secret
  return SECRET_HINT.test(envName) || path.some((p) => typeof p === 'string' && SECRET_HINT.test(p));
}

/**
 * Replaces `${NAME}`, `${NAME:-default}` and `${file:PATH}` in every string of `raw`.
 * `$${` stands for a literal `${`. File paths are relative to `baseDir` (the config file's
 * folder); a trailing newline of the file is dropped.
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
      issues.push({ path: formatPath(path), message: 'expected "}" to close "${" (write "$${" for a literal "${")' });
      return text;
    }
    return text.replace(PLACEHOLDER, (match, body: string | undefined) => {
      if (match === '$${') return '${';
      const expr = (body ?? '').trim();
      const where = formatPath(path);
      if (expr.startsWith('file:')) {
        const file = expr.slice(5).trim();
        if (file === '') {
          issues.push({ path: where, message: 'expected a file path after "file:", found nothing' });
          return '';
        }
        const full = isAbsolute(file) ? file : resolve(baseDir, file);
        try {
          const content = readFileSync(full, 'utf8').replace(/\r?\n$/, '');
          if (content !== '' && isSecret(path)) secrets.add(content);
          return content;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          issues.push({ path: where, message: `cannot read file "${file}" named by \${file:…} (${code})` });
          return '';
        }
      }
      const sep = expr.indexOf(':-');
      const name = sep === -1 ? expr : expr.slice(0, sep);
      const fallback = sep === -1 ? undefined : expr.slice(sep + 2);
      if (!ENV_NAME.test(name)) {
        issues.push({
          path: where,
          message: `expected \${NAME}, \${NAME:-default} or \${file:PATH}, found "\${${expr}}"`,
        });
        return '';
      }
      const value = env[name];
      if (value !== undefined && value !== '') {
        if (isSecret(path, name)) secrets.add(value);
        return value;
      }
      if (fallback !== undefined) return fallback;
      issues.push({ path: where, message: `environment variable ${name} is not set and has no default` });
      return '';
    });
  };

  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') return node.includes('${') ? replaceIn(node, path) : node;
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      // defineProperty, not `out[key] =`: a "__proto__" key stays a key instead of becoming the prototype.
      for (const [key, value] of Object.entries(node)) {
        Object.defineProperty(out, key, { value: walk(value, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return node;
  };

  return { value: walk(raw, []), issues, secrets };
}
