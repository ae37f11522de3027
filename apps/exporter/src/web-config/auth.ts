import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** A bcrypt hash of nothing anyone types: compared against for unknown users, so timing says nothing. */
const DUMMY_HASH = bcrypt.hashSync('muster: no such user', 10);
const CACHE_LIMIT = 1024;

/**
 * Checks `Authorization: Basic` credentials against bcrypt hashes. A verified (user, password,
 * hash) is remembered by its SHA-256, so repeated scrapes do not pay bcrypt each time; a wrong
 * password is never cached as good. Unknown users cost a bcrypt comparison too, and are always
 * refused.
 */
export class BasicAuth {
  readonly #users: ReadonlyMap<string, string>;
  /** sha256(user, password, hash) of credentials already verified good. */
  readonly #good = new Map<string, true>();
  /** Verifications in progress, shared by concurrent requests with the same credentials. */
  readonly #pending = new Map<string, Promise<boolean>>();

  constructor(users: ReadonlyMap<string, string>) {
    this.#users = users;
  }

  get enabled(): boolean {
    return this.#users.size > 0;
  }

  /** True when the header carries a known user and the right password. */
  async check(header: string | undefined): Promise<boolean> {
    const credentials = parseBasic(header);
    if (credentials === undefined) return false;
    const hash = this.#users.get(credentials.user);
    const key = createHash('sha256').update(`${credentials.user}\u0000${credentials.password}\u0000${hash ?? ''}`).digest('hex');
    if (hash !== undefined && this.#good.has(key)) return true;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = bcrypt.compare(credentials.password, hash ?? DUMMY_HASH).then((ok) => ok && hash !== undefined);
      this.#pending.set(key, pending);
      void pending.finally(() => this.#pending.delete(key));
    }
    const ok = await pending;
    if (ok) {
      if (this.#good.size >= CACHE_LIMIT) this.#good.delete(this.#good.keys().next().value as string);
      this.#good.set(key, true);
    }
    return ok;
  }
}

/** Parses `Basic base64(user:password)`; undefined when malformed. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
