import type { PathSegment } from './path.js';

/** Keys whose value is a credential sent to the backend, written literally or not (headers included). */
const CREDENTIAL_KEY = /(^|[-_a-z])(pass(word|wd|phrase)?|token|api[-_]?key|private[-_]?key|secret|authorization|cookie)$/i;

/**
 * The paths (below a module's `config`) of the values that are secrets: a password, token, key or
 * `Authorization`/`Cookie` header, written literally or read with `${file:…}` or from a
 * secret-named variable.
 */
export function secretPaths(config: unknown, secrets: ReadonlySet<string>, path: PathSegment[] = []): PathSegment[][] {
  if (typeof config === 'string') {
    const key = path.at(-1);
    return config !== '' && (secrets.has(config) || (typeof key === 'string' && CREDENTIAL_KEY.test(key))) ? [path] : [];
  }
  if (Array.isArray(config)) return config.flatMap((item, i) => secretPaths(item, secrets, [...path, i]));
  if (config !== null && typeof config === 'object') {
    return Object.entries(config).flatMap(([key, value]) => secretPaths(value, secrets, [...path, key]));
  }
  return [];
}

/**
 * Why a module that carries credentials must list its targets: `/probe` connects where the request
 * says and presents the module's credentials there, so without `allowedTargets` anyone who can reach
 * `/probe` could name a server of their own and receive the password or token. Undefined when the
 * module is safe: it holds no secret, or it lists the targets it may reach.
 */
export function credentialsWithoutAllowedTargets(
  config: unknown,
  allowedTargets: readonly string[] | undefined,
  secrets: ReadonlySet<string>,
): string | undefined {
  if (allowedTargets !== undefined && allowedTargets.length > 0) return undefined;
  const found = secretPaths(config, secrets);
  if (found.length === 0) return undefined;
  const keys = found.map((p) => `config.${p.map(String).join('.')}`).join(', ');
  return (
    `required when the module holds credentials (${keys}): /probe would present them to any target a request names. ` +
    `List the targets it may reach (e.g. ['db-[0-9]+\\.internal:5432(/.*)?']), or write ['.*'] to accept that risk`
  );
}
