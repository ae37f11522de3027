import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';

/**
 * The hash of a random string nobody knows, checked for unknown users so that their answer takes
 * as long as a known user's (no user enumeration by timing).
 */
const DUMMY_HASH = '$2b$10$7MvX5ffDEDjtURxQckFZuOzGwFCOAEaOL60dUya4/bGxOOp8W/G3G';

/** What a login attempt came to: let in, refused, or not checked because too many checks wait. */
export type AuthResult = 'ok' | 'denied' | 'busy';

/** Limits of {@link BasicAuth}. */
export interface BasicAuthOptions {
  /** bcrypt comparisons running at once (default: half the CPUs, at least 1). */
  readonly maxInFlight?: number;
  /** Comparisons waiting for a slot before new ones are answered `busy` (default 4 per slot). */
  readonly maxQueued?: number;
  /** How long a failed (user, password, hash) is answered `denied` without bcrypt (default 60 s). */
  readonly failedTtlMs?: number;
  /** Verified credentials remembered (default 1024). */
  readonly goodCacheSize?: number;
  /** Failed credentials remembered (default 10000). */
  readonly failedCacheSize?: number;
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
}

/**
 * Checks `Authorization: Basic` credentials against bcrypt hashes without letting anyone stall
 * the server with them:
 *
 * - bcrypt runs in the native binding on libuv's thread pool, never on the event loop;
 * - at most `maxInFlight` comparisons run and `maxQueued` wait; past that an unknown credential
 *   is answered `busy` at once (the HTTP layer says 429), so a flood of wrong passwords costs a
 *   bounded amount of CPU and never queues up;
 * - a verified (user, password, hash) is remembered by its SHA-256, so a scraper with the right
 *   password never waits for bcrypt again; a failed one is remembered for `failedTtlMs`, so
 *   repeating a wrong password is refused at once;
 * - concurrent requests with the same credentials share one comparison.
 *
 * Keys include the hash, so a changed password (a new web config) never matches an old entry.
 * Passwords are never kept, only digests.
 */
export class BasicAuth {
  #users: ReadonlyMap<string, string>;
  readonly #maxInFlight: number;
  readonly #maxQueued: number;
  readonly #failedTtlMs: number;
  readonly #goodCacheSize: number;
  readonly #failedCacheSize: number;
  readonly #now: () => number;
  /** Digests of credentials verified good. */
  readonly #good = new Set<string>();
  /** Digests of credentials found wrong → until when that answer stands. */
  readonly #failed = new Map<string, number>();
  /** Comparisons under way or waiting, shared by requests with the same credentials. */
  readonly #pending = new Map<string, Promise<boolean>>();
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(users: ReadonlyMap<string, string>, options: BasicAuthOptions = {}) {
    this.#users = users;
    this.#maxInFlight = options.maxInFlight ?? Math.max(1, Math.floor(availableParallelism() / 2));
    this.#maxQueued = options.maxQueued ?? 4 * this.#maxInFlight;
    this.#failedTtlMs = options.failedTtlMs ?? 60_000;
    this.#goodCacheSize = options.goodCacheSize ?? 1024;
    this.#failedCacheSize = options.failedCacheSize ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** True when users are configured (requests then need credentials). */
  get enabled(): boolean {
    return this.#users.size > 0;
  }

  /** Replaces the users (a changed web config); remembered answers for changed hashes no longer match. */
  setUsers(users: ReadonlyMap<string, string>): void {
    this.#users = users;
  }

  /** Comparisons running or waiting now. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Failed credentials remembered now (never more than `failedCacheSize`). */
  get rememberedFailures(): number {
    return this.#failed.size;
  }

  /** Checks an `Authorization` header. */
  async check(header: string | undefined): Promise<AuthResult> {
    const credentials = parseBasic(header);
    if (credentials === undefined) return 'denied';
    const hash = this.#users.get(credentials.user);
    const key = createHash('sha256')
      .update(credentials.user)
      .update('\u0000')
      .update(credentials.password)
      .update('\u0000')
      .update(hash ?? '')
      .digest('base64');
    if (hash !== undefined && this.#good.has(key)) return 'ok';
    const failedUntil = this.#failed.get(key);
    if (failedUntil !== undefined) {
      if (failedUntil > this.#now()) return 'denied';
      this.#failed.delete(key);
    }
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      if (this.#pending.size >= this.#maxInFlight + this.#maxQueued) return 'busy';
      pending = this.#compare(credentials.password, hash ?? DUMMY_HASH).then((ok) => ok && hash !== undefined);
      this.#pending.set(key, pending);
      void pending.then(
        (ok) => this.#remember(key, ok),
        () => undefined,
      );
      void pending.finally(() => this.#pending.delete(key)).catch(() => undefined);
    }
    return (await pending.catch(() => false)) ? 'ok' : 'denied';
  }

  #remember(key: string, ok: boolean): void {
    if (ok) {
      if (this.#good.size >= this.#goodCacheSize) this.#good.delete(this.#good.values().next().value as string);
      this.#good.add(key);
    } else {
      if (this.#failed.size >= this.#failedCacheSize) this.#failed.delete(this.#failed.keys().next().value as string);
      this.#failed.set(key, this.#now() + this.#failedTtlMs);
    }
  }

  async #compare(password: Buffer, hash: string): Promise<boolean> {
    // A finished comparison hands its slot to the next waiting one.
    if (this.#running >= this.#maxInFlight) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await bcrypt.compare(password, hash);
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#running--;
    }
  }
}

/** Parses `Basic base64(user:password)`; undefined when malformed. */
export function parseBasic(header: string | undefined): { user: string; password: Buffer } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon <= 0) return undefined;
  // The password stays bytes, as Go compares it: a hash of a Latin-1 password still matches, and
  // bytes that are not UTF-8 are not all read as one U+FFFD.
  return { user: decoded.subarray(0, colon).toString('utf8'), password: decoded.subarray(colon + 1) };
}
