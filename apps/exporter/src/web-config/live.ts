import { statSync } from 'node:fs';
import { isMusterError } from '@muster/core';
import { BasicAuth, type BasicAuthOptions } from './auth.js';
import { loadWebConfig, type WebSettings } from './load.js';
import { RateLimiter } from './rate-limit.js';

/** Where {@link LiveWebConfig} reports. */
export interface LiveWebConfigOptions {
  readonly logger: {
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
  };
  /** Counts a reload attempt (muster's own metrics). */
  readonly record?: (successful: boolean) => void;
  /** Limits of the bcrypt checks. */
  readonly auth?: BasicAuthOptions;
  /** At most one look at the files per this many ms from requests (connections always look). */
  readonly requestCheckMs?: number;
}

/**
 * The web config in force, following its file: when the file, or a certificate, key or CA file it
 * names, changes, the next new connection (or a request, at most once a second) reads it again.
 * A good new version applies to new connections (existing ones keep theirs); a broken one is
 * logged and counted, and the last good version stays until the files change again.
 */
export class LiveWebConfig {
  #settings: WebSettings;
  #signature: string;
  #lastRequestCheck = 0;
  /** The error of the last refused version while it stands (a retry logs only a new error). */
  #failure: string | undefined;
  #lastRetry = 0;
  #limiter: RateLimiter | undefined;
  readonly auth: BasicAuth;
  readonly #options: LiveWebConfigOptions;
  readonly #listeners = new Set<(settings: WebSettings) => void>();

  constructor(settings: WebSettings, options: LiveWebConfigOptions) {
    this.#settings = settings;
    this.#signature = signature(settings.files);
    this.#options = options;
    this.auth = new BasicAuth(settings.users, options.auth);
    this.#limiter = limiterFor(settings);
  }

  /** The settings in force. */
  get current(): WebSettings {
    return this.#settings;
  }

  /** The request rate limiter in force, if `rate_limit` sets one. */
  get limiter(): RateLimiter | undefined {
    return this.#limiter;
  }

  /** Calls `listener` with each newly applied version. */
  onChange(listener: (settings: WebSettings) => void): void {
    this.#listeners.add(listener);
  }

  /** Looks at the files (a stat each) and reloads when they changed; cheap when they did not. */
  refresh(): void {
    const now = signature(this.#settings.files);
    let retry = false;
    if (now === this.#signature) {
      // A refused version may name files the last good one does not (a new cert_file that does
      // not exist yet): while it stands, read again at most once per `requestCheckMs`.
      if (this.#failure === undefined) return;
      const t = performance.now();
      if (t - this.#lastRetry < (this.#options.requestCheckMs ?? 1000)) return;
      this.#lastRetry = t;
      retry = true;
    }
    this.#signature = now;
    this.#reload(retry);
  }

  /** {@link refresh}, at most once per `requestCheckMs` (for per-request checks). */
  refreshSometimes(): void {
    const t = performance.now();
    if (t - this.#lastRequestCheck < (this.#options.requestCheckMs ?? 1000)) return;
    this.#lastRequestCheck = t;
    this.refresh();
  }

  #reload(retry: boolean): void {
    const { logger, record } = this.#options;
    const file = this.#settings.file;
    let next: WebSettings;
    try {
      next = loadWebConfig(file);
      if ((next.tls === undefined) !== (this.#settings.tls === undefined)) {
        throw new Error(`switching between HTTP and HTTPS (tls_server_config) takes a restart`);
      }
    } catch (err) {
      const error = isMusterError(err) ? `${err.message} [${err.code}]` : (err as Error).message;
      const known = retry && error === this.#failure;
      this.#failure = error;
      if (known) return;
      record?.(false);
      logger.error({ file, err: error }, 'web config change refused: the last good web config stays');
      return;
    }
    const previous = this.#settings;
    this.#settings = next;
    this.#failure = undefined;
    // The signature of the files the new version names (a new cert_file path, say).
    this.#signature = signature(next.files);
    this.auth.setUsers(next.users);
    const limit = next.rateLimit;
    if (limit?.intervalMs !== previous.rateLimit?.intervalMs || limit?.burst !== previous.rateLimit?.burst) this.#limiter = limiterFor(next);
    for (const listener of this.#listeners) listener(next);
    record?.(true);
    logger.info(
      { file, tls: next.tls !== undefined, clientAuth: next.tls?.clientAuth, users: next.users.size, rateLimit: next.rateLimit !== undefined },
      'web config reloaded: new connections use it',
    );
  }
}

function limiterFor(settings: WebSettings): RateLimiter | undefined {
  const limit = settings.rateLimit;
  return limit === undefined ? undefined : new RateLimiter(limit.intervalMs, limit.burst);
}

/** What the files look like now: a changed, replaced or vanished file changes it. */
function signature(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f, { bigint: true });
        return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}
