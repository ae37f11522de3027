/**
 * A real PgBouncer in front of a test server: Debian's `pgbouncer` binary with its default
 * settings, on a free port of 127.0.0.1, with SCRAM authentication (the roles' SCRAM secrets are
 * copied from the server's `pg_authid`, so PgBouncer also logs in to the server with them).
 * As root, it runs as the same user as the test servers (PgBouncer refuses to run as root).
 *
 * @packageDocumentation
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { isExecutable } from './binaries.js';
import type { DatabaseEndpoint, PostgresServer } from './postgres.js';
import { answersQuery, cleanUpOnExit, forget, type ServiceProcess, spawnService } from './service-process.js';
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

/** A running PgBouncer; `query` and `connect` go through it. Its superuser (an admin of its console) is the server's. */
export interface PgBouncer extends DatabaseEndpoint {
  readonly poolMode: 'transaction' | 'session' | 'statement';
  /** The server behind it. */
  readonly server: PostgresServer;
  /** Runs a command of PgBouncer's admin console (`SHOW SERVERS`, `SHOW CLIENTS`, `SHOW POOLS`…) and returns its rows. */
  admin<R extends Record<string, unknown> = Record<string, unknown>>(command: string): Promise<R[]>;
  /** Stops PgBouncer (immediately: its clients are disconnected). */
  stop(): Promise<void>;
  /** Starts it again on the same port and settings. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

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
  const ini = (port: number) =>
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
  let service: ServiceProcess | undefined;
  cleanUpOnExit(root, 'SIGKILL', () => service);

  const client = (port: number, database: string, applicationName: string) =>
    new pg.Client({
      host: '127.0.0.1',
      port,
      user: server.user,
      password: server.password,
      database,
      application_name: applicationName,
      connectionTimeoutMillis: 10_000,
      ...(options.tls === undefined ? {} : { ssl: { rejectUnauthorized: false } }),
    });
  const handled = (c: pg.Client): pg.Client => {
    c.on('error', () => undefined);
    return c;
  };

  try {
    service = await spawnService({
      name: 'pgbouncer',
      binary,
      args: () => [iniFile],
      beforeStart: (port) => writeFileSync(iniFile, ini(port), { mode: 0o644 }),
      cwd: root,
      runAs,
      deathSignal: 'TERM',
      startTimeoutMs: 30_000,
      hungSignal: 'SIGKILL',
      portTaken: /Address already in use|bind/i,
      answers: (port) => answersQuery(client(port, 'pgbouncer', 'muster-test-admin'), 'SHOW VERSION'),
    });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    forget(root);
    throw err;
  }
  const pooler = service;

  // SIGTERM: an immediate shutdown up to PgBouncer 1.22; SIGQUIT is that from 1.23 on.
  const stop = (): Promise<void> => pooler.stop('SIGTERM', 5_000);

  const connect = async (opts: { database?: string; applicationName?: string } = {}): Promise<pg.Client> => {
    const c = handled(client(pooler.port, opts.database ?? server.database, opts.applicationName ?? 'muster-test-admin'));
    await c.connect();
    return c;
  };

  return {
    host: '127.0.0.1',
    get port() {
      return pooler.port;
    },
    user: server.user,
    password: server.password,
    database: server.database,
    get connectionString() {
      return `postgres://${server.user}:${server.password}@127.0.0.1:${pooler.port}/${server.database}`;
    },
    poolMode,
    server,
    get pid() {
      return pooler.pid;
    },
    log: () => pooler.log(),
    async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const c = await connect();
      try {
        return (await c.query<R>(sql, [...params])).rows;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    async admin<R extends Record<string, unknown> = Record<string, unknown>>(command: string): Promise<R[]> {
      const c = handled(client(pooler.port, 'pgbouncer', 'muster-test-admin'));
      try {
        await c.connect();
        return (await c.query<R>(command)).rows;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    connect,
    stop,
    start: () => pooler.start(),
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true, maxRetries: 2 });
      forget(root);
    },
  };
}
