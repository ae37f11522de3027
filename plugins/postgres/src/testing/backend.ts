/** The test server as the plugin sees it: the config that reaches it, the roles, the sessions it holds. */
import type { DatabaseEndpoint, PostgresServer } from '@muster/testing-postgres';
import pg from 'pg';

/** A login role a test creates, with a password no other run shares. */
export interface TestRole {
  readonly user: string;
  readonly password: string;
}

/** The role `user`, its password random behind `prefix`. */
export function testRole(user: string, prefix: string): TestRole {
  return { user, password: `${prefix}-${Math.random().toString(36).slice(2)}-pw` };
}

/** The plugin config that pings `database` on `target` (a server or a pooler) as `login`. */
export function pingConfig(
  target: Pick<DatabaseEndpoint, 'host' | 'port'>,
  login: TestRole,
  database: string,
  applicationName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { host: target.host, port: target.port, database, user: login.user, password: login.password, applicationName, ...extra };
}

/** Connection settings of the test server's superuser, as a plugin config. */
export function superuserConfig(server: PostgresServer, applicationName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return pingConfig(server, server, server.database, applicationName, extra);
}

/** Sessions the server has open for `applicationName` (any state). */
export async function sessions(server: PostgresServer, applicationName: string): Promise<{ pid: number; state: string | null; wait_event_type: string | null; datname: string | null }[]> {
  return server.query(
    'SELECT pid, state, wait_event_type, datname FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
}

/**
 * The session settings the next client of `pooler` sees, as `login` on `database` (the pooler
 * links it to a server connection a ping used): each key of `settings` mapped to the value of the
 * setting it names.
 */
export async function nextClientSettings<K extends string>(
  pooler: Pick<DatabaseEndpoint, 'host' | 'port'>,
  login: TestRole,
  database: string,
  settings: Readonly<Record<K, string>>,
): Promise<Record<K, string> | undefined> {
  const next = new pg.Client({ host: pooler.host, port: pooler.port, database, user: login.user, password: login.password, application_name: 'next-client' });
  next.on('error', () => undefined);
  await next.connect();
  try {
    const columns = Object.entries<string>(settings).map(([key, name]) => `current_setting('${name}') AS ${key}`);
    return (await next.query<Record<K, string>>(`SELECT ${columns.join(', ')}`)).rows[0];
  } finally {
    await next.end();
  }
}
