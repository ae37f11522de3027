/**
 * A real PgBouncer in front of a test server: Debian's `pgbouncer` binary with its default
 * settings, on a free port of 127.0.0.1, with SCRAM authentication (the roles' SCRAM secrets are
 * copied from the server's `pg_authid`, so PgBouncer also logs in to the server with them).
 * As root, it runs as the same user as the test servers (PgBouncer refuses to run as root).
 *
 * @packageDocumentation
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freeTcpPort, type PostgresServer } from './postgres.js';
import { serviceUser } from './service-user.js';

/** Options of {@link startPgBouncer}. */
export interface StartPgBouncerOptions {
  /** `pool_mode`: `transaction` (default), `session` or `statement`. */
  readonly poolMode?: 'transaction' | 'session' | 'statement';
  /** Roles that may log in through the pooler besides the superuser (their SCRAM secrets are read from the server). */
  readonly roles?: readonly string[];
  /** Databases the pooler serves, each forwarded to the database of the same name. Default: every database (`*`). */
  readonly databases?: readonly string[];
  /**
   * A certificate and key (PEM) the pooler serves to its clients, which it then requires to use
   * TLS (`client_tls_sslmode = require`). The kit's own clients connect encrypted, unverified.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** More `[pgbouncer]` settings, e.g. `{ max_client_conn: '3' }`. Everything else keeps PgBouncer's defaults. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A running PgBouncer. Its superuser (an admin of its console) is the server's. */
export interface PgBouncer {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** The server's superuser, `postgres`. */
  readonly user: string;
  readonly password: string;
  /** The server's default database, `postgres`. */
  readonly database: string;
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`, through the pooler. */
  readonly connectionString: string;
  readonly poolMode: 'transaction' | 'session' | 'statement';
  /** The server behind it. */
  readonly server: PostgresServer;
  /** PgBouncer's process id while it runs. */
  readonly pid: number | undefined;
  /** Its log (stderr) so far, at most the last 64 KiB. */
  log(): string;
  /** Runs one statement as the superuser through the pooler, on a new connection, and returns its rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a command of PgBouncer's admin console (`SHOW SERVERS`, `SHOW CLIENTS`, `SHOW POOLS`…) and returns its rows. */
  admin<R extends Record<string, unknown> = Record<string, unknown>>(command: string): Promise<R[]>;
  /** A new superuser connection through the pooler (its `error` events are handled); end it with `client.end()`. */
  connect(options?: { database?: string; applicationName?: string }): Promise<pg.Client>;
  /** Stops PgBouncer (immediately: its clients are disconnected). */
  stop(): Promise<void>;
  /** Starts it again on the same port and settings. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const LOG_LIMIT = 64 * 1024;
/** What the exit hook ends and removes if a test forgets close(). */
const leftovers = new Map<string, () => ChildProcess | undefined>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [root, child] of leftovers) {
      child()?.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });
}
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The `pgbouncer` binary: on PATH, else in an sbin folder (where Debian puts it), else `undefined`. */
export function findPgBouncer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...SBIN];
  for (const dir of dirs) {
    const file = join(dir, 'pgbouncer');
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * The `skip` option of a test that needs PgBouncer: a message when it is not installed, `false`
 * when it is — and `false` in CI (`CI=true`), where the test then runs and fails without it.
 */
export function pgbouncerSkip(): string | false {
  if (findPgBouncer() !== undefined || process.env.CI === 'true') return false;
  return 'SKIPPED: pgbouncer is not installed (Debian package "pgbouncer")';
}

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

/**
 * Starts PgBouncer in front of `server` (a {@link PostgresServer} from `startPostgres` or
 * `startReplica`), in a fresh temp folder, and waits until its admin console answers.
 */
export async function startPgBouncer(server: PostgresServer, options: StartPgBouncerOptions = {}): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (binary === undefined) throw new Error('pgbouncer is not installed (Debian package "pgbouncer")');
  const runAs = serviceUser();
  const poolMode = options.poolMode ?? 'transaction';
  // The superuser is always there: it is the admin of the console the start-up check asks.
  const roles = [...new Set([server.user, ...(options.roles ?? [])])];
  const secrets = await server.query<{ rolname: string; rolpassword: string | null }>('SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)', [
    [...roles],
  ]);
  for (const role of roles) {
    const secret = secrets.find((s) => s.rolname === role)?.rolpassword;
    if (secret === undefined || secret === null || !secret.startsWith('SCRAM-SHA-256$')) throw new Error(`role ${role} has no SCRAM password on the server`);
  }

  const root = mkdtempSync(join(tmpdir(), 'muster-pgbouncer-'));
  chmodSync(root, 0o777);
  writeFileSync(join(root, 'userlist.txt'), secrets.map((s) => `${quote(s.rolname)} ${quote(s.rolpassword ?? '')}\n`).join(''), { mode: 0o644 });
  const tlsSettings: string[] = [];
  if (options.tls !== undefined) {
    writeFileSync(join(root, 'client.crt'), options.tls.cert, { mode: 0o644 });
    writeFileSync(join(root, 'client.key'), options.tls.key, { mode: 0o644 });
    tlsSettings.push('client_tls_sslmode = require', `client_tls_cert_file = ${join(root, 'client.crt')}`, `client_tls_key_file = ${join(root, 'client.key')}`);
  }
  const backend = `host=${server.host} port=${server.port}`;
  const databases = options.databases === undefined ? [`* = ${backend}`] : options.databases.map((d) => `${d} = ${backend} dbname=${d}`);
  let port = 0;
  const ini = () =>
    [
      '[databases]',
      ...databases,
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${root}`,
      `pidfile = ${join(root, 'pgbouncer.pid')}`,
      'auth_type = scram-sha-256',
      `auth_file = ${join(root, 'userlist.txt')}`,
      `admin_users = ${server.user}`,
      `stats_users = ${server.user}`,
      `pool_mode = ${poolMode}`,
      ...tlsSettings,
      ...Object.entries(options.settings ?? {}).map(([k, v]) => `${k} = ${v}`),
      '',
    ].join('\n');
  const iniFile = join(root, 'pgbouncer.ini');
  // setpriv --pdeathsig: PgBouncer ends if this process dies without closing it.
  const setpriv = process.platform === 'linux' && isExecutable('/usr/bin/setpriv') ? '/usr/bin/setpriv' : undefined;
  let child: ChildProcess | undefined;
  let log = '';

  const client = (database: string, applicationName: string) => {
    const c = new pg.Client({
      host: '127.0.0.1',
      port,
      user: server.user,
      password: server.password,
      database,
      application_name: applicationName,
      connectionTimeoutMillis: 10_000,
      ...(options.tls === undefined ? {} : { ssl: { rejectUnauthorized: false } }),
    });
    c.on('error', () => undefined);
    return c;
  };

  const launch = async (): Promise<void> => {
    writeFileSync(iniFile, ini(), { mode: 0o644 });
    const [command, argv] = setpriv === undefined ? [binary, [iniFile]] : [setpriv, ['--pdeathsig', 'TERM', '--', binary, iniFile]];
    const proc = spawn(command, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }) });
    child = proc;
    let exited = false;
    proc.on('exit', () => {
      exited = true;
    });
    proc.on('error', (err) => {
      log += `\n[spawn error] ${err.message}`;
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-LOG_LIMIT);
    });
    proc.unref();
    (proc.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited) throw new Error(`pgbouncer exited while starting (port ${port}):\n${log.slice(-4000)}`);
      const c = client('pgbouncer', 'muster-test-admin');
      try {
        await c.connect();
        await c.query('SHOW VERSION');
        await c.end();
        return;
      } catch {
        await c.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`pgbouncer did not answer within 30 s (port ${port}):\n${log.slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  for (let attempt = 1; ; attempt++) {
    port = await freeTcpPort();
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt >= 3 || !/Address already in use|bind/i.test(log)) {
        child?.kill('SIGKILL');
        rmSync(root, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // SIGTERM: an immediate shutdown up to PgBouncer 1.22; SIGQUIT is that from 1.23 on.
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };
  installExitHook();
  leftovers.set(root, () => child);

  const connect = async (opts: { database?: string; applicationName?: string } = {}): Promise<pg.Client> => {
    const c = client(opts.database ?? server.database, opts.applicationName ?? 'muster-test-admin');
    await c.connect();
    return c;
  };

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    user: server.user,
    password: server.password,
    database: server.database,
    get connectionString() {
      return `postgres://${server.user}:${server.password}@127.0.0.1:${port}/${server.database}`;
    },
    poolMode,
    server,
    get pid() {
      return child?.pid;
    },
    log: () => log,
    async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const c = await connect();
      try {
        return (await c.query<R>(sql, [...params])).rows;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    async admin<R extends Record<string, unknown> = Record<string, unknown>>(command: string): Promise<R[]> {
      const c = client('pgbouncer', 'muster-test-admin');
      try {
        await c.connect();
        return (await c.query<R>(command)).rows;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    connect,
    stop,
    async start() {
      if (child !== undefined) return;
      await launch();
    },
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true, maxRetries: 2 });
      leftovers.delete(root);
    },
  };
}
