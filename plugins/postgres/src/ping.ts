import type { ConnectionOptions } from 'node:tls';
import { errorCodes, type Logger } from '@muster/sdk';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { backendKey, sendCancel } from './cancel.js';
import { classifyError, type FailureReason, isBrokenConnection, type PingPhase, sqlState } from './classify.js';
import type { PostgresConfig, Target, Timeouts } from './config.js';

/** What one ping found. A database failure is a result, not an exception. */
export interface PingResult {
  readonly up: boolean;
  readonly reason: FailureReason;
  /** Seconds to get a connection and run the query, for a successful ping. */
  readonly durationSeconds: number | undefined;
  /** `server_version` of the server, when the ping succeeded. */
  readonly serverVersion: string | undefined;
  /** `pg_is_in_recovery()`: true on a replica (standby), when the ping succeeded. */
  readonly inRecovery: boolean | undefined;
  /** The ping was tried a second time on a new connection after its pooled one turned out broken. */
  readonly retried: boolean;
  /** For the log: the error's code and (scrubbed) message. */
  readonly detail: string | undefined;
}

/** Everything a {@link Pinger} needs, resolved from the config once. */
export interface PingerOptions {
  readonly target: Target;
  readonly tls: PostgresConfig['tls'];
  readonly query: string;
  readonly timeouts: Timeouts;
  readonly pool: { readonly max: number; readonly idleTimeoutMs: number; readonly maxLifetimeSeconds: number };
  readonly logger: Logger;
  /** Removes secrets (the password, the connection string) from a text. */
  readonly scrub: (text: string) => string;
}

/**
 * Opens the ping's transaction: read-only (the configured query cannot write, whatever it says)
 * and bounded on the server by `SET LOCAL` timeouts, which end with the transaction. Nothing is
 * sent at login but the user, the database and `application_name`, so every pooler accepts the
 * connection, in transaction pooling as in session pooling, and no setting outlives the ping on a
 * pooled server connection. One simple-protocol round trip.
 */
export function beginStatement(statementMs: number): string {
  const ms = Math.max(1, Math.floor(statementMs));
  return `BEGIN READ ONLY; SET LOCAL statement_timeout = ${ms}; SET LOCAL idle_in_transaction_session_timeout = ${ms}`;
}

/**
 * Asked once per ping, after the configured query, in the same transaction, which it ends: one
 * round trip. It rolls back (a read-only transaction has nothing to commit), so a setting the
 * query changed for the session (`set_config(…, false)`) does not outlive the ping on a pooled
 * server connection. `read_only` is off when the query itself ended the ping's transaction.
 */
const INFO_AND_ROLLBACK =
  "SELECT current_setting('server_version') AS server_version, pg_catalog.pg_is_in_recovery() AS in_recovery, current_setting('transaction_read_only') AS read_only; ROLLBACK";

/** The configured query ended the ping's read-only transaction (a COMMIT, a ROLLBACK…): a query error. */
export class QueryEndedTransactionError extends Error {
  constructor() {
    super("the query ended the ping's read-only transaction (COMMIT, ROLLBACK or the like): use one statement that reads");
    this.name = 'QueryEndedTransactionError';
  }
}

/** The `ssl` option of node-postgres for a libpq sslmode. */
export function sslOptions(sslmode: Target['sslmode'], tls: PostgresConfig['tls']): false | ConnectionOptions {
  if (sslmode === 'disable') return false;
  const material: ConnectionOptions = {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
  };
  switch (sslmode) {
    case 'require':
      return { ...material, rejectUnauthorized: false };
    case 'verify-ca':
      // The chain must lead to a trusted CA; the host name is not checked.
      return { ...material, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...material, rejectUnauthorized: true };
  }
}

/** How long a cancel request may take (PgBouncer's own `cancel_wait_timeout` is 10 s). */
const CANCEL_LIMIT_MS = 10_000;

/** Rejects with the signal's reason when it fires first; the abandoned promise's outcome is swallowed. */
function raced<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Pings one database through a small pool of its own. Every step is bounded: connecting by
 * `connectionTimeoutMillis`, the query by a `SET LOCAL statement_timeout` in the ping's
 * transaction, and the whole ping by its own deadline and the cycle's signal, at which a cancel
 * request is sent for the query in flight and the connection in use is then destroyed (not
 * returned to the pool); a connection still being opened is closed as soon as it arrives.
 */
export class Pinger {
  readonly #options: PingerOptions;
  readonly #pool: pg.Pool;
  /** Connections that served a ping before: a failure on one may be a stale connection. */
  readonly #used = new WeakSet<pg.PoolClient>();
  #opened = 0;
  /** Connections of cut pings, waiting for their cancel request before they are closed. */
  #ending = 0;
  #closing: Promise<void> | undefined;

  constructor(options: PingerOptions) {
    this.#options = options;
    const { target, timeouts, pool } = options;
    this.#pool = new pg.Pool({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      ...(target.password === undefined ? {} : { password: target.password }),
      ssl: sslOptions(target.sslmode, options.tls),
      // The only startup parameters: user, database, application_name (and node-postgres' own
      // client_encoding=UTF8). Timeouts and read-only are set inside the ping's transaction.
      application_name: target.applicationName,
      // No query_timeout: the ping's deadline bounds every query (a cancel request, then the
      // connection is destroyed), and node-postgres never clears that timer for a cursor.
      connectionTimeoutMillis: timeouts.connectMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      max: pool.max,
      min: 0,
      idleTimeoutMillis: pool.idleTimeoutMs,
      maxLifetimeSeconds: pool.maxLifetimeSeconds,
      // Idle connections never keep the process alive (`muster once` exits at once).
      allowExitOnIdle: true,
    });
    // An idle connection that fails (server restart, network cut, idle_session_timeout) is
    // removed by the pool, which then emits 'error': unhandled, that would crash the process.
    this.#pool.on('error', (err) => {
      options.logger.warn(
        { ...this.where(), reason: classifyError(err, 'query'), detail: this.describe(err) },
        'an idle PostgreSQL connection was lost; it is closed and the next ping opens a new one',
      );
    });
    this.#pool.on('connect', () => {
      this.#opened++;
    });
  }

  /** Where the pings go, for log lines: host, port and database only (never the user's password or the URL). */
  where(): { host: string; port: number; database: string } {
    const { host, port, database } = this.#options.target;
    return { host: this.#options.scrub(host), port, database: this.#options.scrub(database) };
  }

  /** Connections opened since the start. */
  get opened(): number {
    return this.#opened;
  }

  /** Connections the pool holds now (idle or in use), not counting those of cut pings being closed. */
  get connections(): number {
    return Math.max(0, this.#pool.totalCount - this.#ending);
  }

  /** An error as `CODE: message`, secrets removed, for a log line. */
  describe(err: unknown): string {
    const code = errorCodes(err)[0];
    const message = err instanceof Error ? err.message : String(err);
    return this.#options.scrub(`${code === undefined ? '' : `${code}: `}${message}`).slice(0, 300);
  }

  /**
   * One ping: get a connection, run the query, read the server's version and recovery state.
   * Resolves for every database failure; rejects only when `signal` fires (the cycle's deadline
   * or a shutdown), with the signal's reason.
   */
  async ping(signal: AbortSignal): Promise<PingResult> {
    signal.throwIfAborted();
    if (this.#closing !== undefined) throw new Error('the pinger is closed');
    const started = performance.now();
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeouts.pingMs)]);
    let retried = false;
    for (;;) {
      let phase: PingPhase = 'connect';
      let reused = false;
      try {
        const client = await this.#acquire(deadline);
        reused = this.#used.has(client);
        this.#used.add(client);
        phase = 'query';
        const found = await this.#run(client, deadline, started);
        return { up: true, reason: 'none', retried, detail: undefined, ...found };
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        // A connection that broke under the query (a stale pooled one, or a server or pooler that
        // went away mid-ping) is tried once more on a new one: that says what is there now
        // (refused, starting up, up again) rather than "error".
        if (!retried && phase === 'query' && !deadline.aborted && isBrokenConnection(err)) {
          this.#options.logger.debug({ ...this.where(), reused, detail: this.describe(err) }, 'a connection broke during the ping; trying once more on a new one');
          retried = true;
          continue;
        }
        const reason: FailureReason = deadline.aborted ? 'timeout' : err instanceof QueryEndedTransactionError ? 'query-error' : classifyError(err, phase);
        return { up: false, reason, durationSeconds: undefined, serverVersion: undefined, inRecovery: undefined, retried, detail: this.describe(err) };
      }
    }
  }

  /** A connection from the pool, or the deadline's reason. A connection that arrives too late is closed. */
  #acquire(deadline: AbortSignal): Promise<pg.PoolClient> {
    if (deadline.aborted) return Promise.reject(deadline.reason);
    const pending = this.#pool.connect();
    return new Promise<pg.PoolClient>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(deadline.reason);
        // pool.connect() cannot be cancelled: it ends by itself at connectionTimeoutMillis. If it
        // still succeeds, close that connection rather than keep it.
        pending.then(
          (client) => client.release(true),
          () => undefined,
        );
      };
      deadline.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (client) => {
          deadline.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          resolve(client);
        },
        (err: unknown) => {
          deadline.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          reject(err);
        },
      );
    });
  }

  /**
   * Runs the ping's transaction on `client` and gives it back: to the pool when healthy (after a
   * server error, once the transaction is rolled back), else destroyed. When `deadline` fires
   * with a statement in flight, a cancel request goes first (a pooler forwards it only while the
   * client is still connected), then the connection is destroyed.
   */
  async #run(
    client: pg.PoolClient,
    deadline: AbortSignal,
    started: number,
  ): Promise<Pick<PingResult, 'durationSeconds' | 'serverVersion' | 'inRecovery'>> {
    // A checked-out connection has no pool listener: an error between two queries would crash the process.
    const onError = (err: Error) => {
      this.#options.logger.debug({ ...this.where(), detail: this.describe(err) }, 'a PostgreSQL connection in use failed');
    };
    client.on('error', onError);
    let released = false;
    const release = (destroy: boolean) => {
      if (released) return;
      released = true;
      client.removeListener('error', onError);
      // release(true) ends the connection; with a query in flight, its socket is destroyed.
      client.release(destroy);
    };
    let inFlight = false;
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      const key = backendKey(client);
      if (!inFlight || key === undefined || released) {
        release(true);
        return;
      }
      // The connection is closed once the cancel request is done (a pooler forwards it only while
      // the client is connected), in the background: the ping's result does not wait for it.
      const { host, port } = this.#options.target;
      this.#ending++;
      void sendCancel(host, port, key, CANCEL_LIMIT_MS).then(() => {
        this.#ending--;
        release(true);
      });
    };
    deadline.addEventListener('abort', onAbort, { once: true });
    const send = async <R extends pg.QueryResultRow>(query: string | pg.QueryConfig): Promise<pg.QueryResult<R> | pg.QueryResult<R>[]> => {
      inFlight = true;
      try {
        return await raced(client.query<R>(query as pg.QueryConfig), deadline);
      } finally {
        inFlight = false;
      }
    };
    try {
      await send(beginStatement(this.#options.timeouts.statementMs));
      // Through a cursor (extended protocol, so a second statement is an error): the first row is
      // read and the portal closed, so a query that returns millions of rows is not held in memory
      // and the server stops producing them.
      const cursor = client.query(new Cursor(this.#options.query));
      inFlight = true;
      try {
        await raced(
          cursor.read(1).then(() => cursor.close()),
          deadline,
        );
      } finally {
        inFlight = false;
      }
      const durationSeconds = (performance.now() - started) / 1000;
      const results = await send<{ server_version: unknown; in_recovery: unknown; read_only: unknown }>(INFO_AND_ROLLBACK);
      const row = (Array.isArray(results) ? results[0] : results)?.rows[0];
      release(false);
      if (row?.read_only !== 'on') throw new QueryEndedTransactionError();
      return {
        durationSeconds,
        serverVersion: typeof row?.server_version === 'string' ? row.server_version : undefined,
        inRecovery: typeof row?.in_recovery === 'boolean' ? row.in_recovery : undefined,
      };
    } catch (err) {
      // A server's answer (a SQL error, a statement timeout) leaves a healthy connection in an
      // aborted transaction: roll it back (a pooler in transaction mode holds the server until
      // then) and keep it. Anything else (a broken or timed-out connection, a shutdown notice,
      // a pooler's own error) is destroyed.
      const state = sqlState(err);
      const answered = state !== undefined && !state.startsWith('08') && !state.startsWith('57P') && !deadline.aborted;
      if (aborted) {
        // onAbort releases it, after the cancel request when a statement was in flight.
      } else if (answered && !released) {
        try {
          await send('ROLLBACK');
          release(false);
        } catch {
          // Cut while rolling back: onAbort closes it after its cancel request.
          if (!aborted) release(true);
        }
      } else {
        release(true);
      }
      throw err;
    } finally {
      deadline.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the pool: idle connections close at once, one in use as soon as its ping gives it back. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.end().catch((err: unknown) => {
      this.#options.logger.debug({ ...this.where(), detail: this.describe(err) }, 'closing the PostgreSQL pool failed');
    });
    return this.#closing;
  }
}
