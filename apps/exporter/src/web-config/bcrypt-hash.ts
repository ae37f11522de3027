/** A bcrypt hash as htpasswd, Go and PHP write it: `$2a$`, `$2b$` or `$2y$`, a cost, 53 characters. */
const BCRYPT = /^\$2([aby])\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/**
 * What is wrong with a configured password hash, in words that never repeat the value (it may
 * be a password written in clear by mistake); undefined when it is a usable bcrypt hash.
 */
export function bcryptProblem(hash: string): string | undefined {
  const match = BCRYPT.exec(hash);
  if (match === null) return 'expected a bcrypt hash ($2y$…, as `htpasswd -nBC 10 user` writes it); the value is not shown';
  const cost = Number(match[2]);
  if (cost < 4 || cost > 31) return `expected a bcrypt cost from 04 to 31, found ${match[2]}`;
  return undefined;
}

/**
 * The same hash in the form the native bcrypt binding checks: `$2y$` (PHP's and htpasswd's name)
 * and `$2b$` are one algorithm, and the binding knows only the latter.
 */
export function normalizeBcrypt(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
}
