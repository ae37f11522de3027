/**
 * A PostgreSQL with a login role and databases, and a PgBouncer before it, started before the
 * tests of a `describe` block and closed after them with every harness the block made.
 */
import { after, before } from 'node:test';
import { createHarness, type Harness, type HarnessOptions } from '@muster/testing';
import { type PgBouncer, type PostgresServer, type StartPgBouncerOptions, startPgBouncer, startPostgres } from '@muster/testing-postgres';
import plugin from '../index.js';
import { pingConfig, type TestRole } from './backend.js';

/** What {@link pooledBackend} sets up. */
export interface PooledBackendSetup {
  readonly role: TestRole;
  /** Databases to create; the first is the one pinged unless a test says otherwise. */
  readonly databases: readonly string[];
  /** More set-up on the server (tables, grants) before the pooler starts. */
  readonly prepare?: (server: PostgresServer) => Promise<void>;
  /** The pooler's options; its roles are always the superuser and `role`. */
  readonly pooler?: Omit<StartPgBouncerOptions, 'roles'>;
}

/** The running server and pooler, and harnesses pinging through them. */
export interface PooledBackend {
  readonly server: PostgresServer;
  readonly bouncer: PgBouncer;
  /**
   * A harness of the plugin pinging the first database as the role through `target` (default
   * the pooler), `extra` merged into its config; a 2 s timeout unless `options` says otherwise.
   * Closed after the block.
   */
  harness(applicationName: string, extra?: Record<string, unknown>, options?: HarnessOptions, target?: PgBouncer): Promise<Harness>;
  /** Closes `h` with the block's own harnesses (one a test made itself); returns it. */
  adopt(h: Harness): Harness;
  /** Closes the harnesses made so far (`only` of them, when given). */
  closeHarnesses(...only: Harness[]): Promise<void>;
}

/** Registers the block's `before` (start everything) and `after` (close everything) hooks. */
export function pooledBackend(setup: PooledBackendSetup): PooledBackend {
  let server: PostgresServer | undefined;
  let bouncer: PgBouncer | undefined;
  const open: Harness[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the pooled backend is not started (use it inside the tests of its describe block)');
    return value;
  };
  before(async () => {
    const s = await startPostgres();
    server = s;
    await s.query(`CREATE ROLE ${setup.role.user} LOGIN PASSWORD '${setup.role.password}'`);
    for (const db of setup.databases) await s.query(`CREATE DATABASE ${db}`);
    await setup.prepare?.(s);
    bouncer = await startPgBouncer(s, { ...setup.pooler, roles: [s.user, setup.role.user] });
  });
  after(async () => {
    await Promise.all(open.map((h) => h.close()));
    await bouncer?.close();
    await server?.close();
  });
  return {
    get server() {
      return started(server);
    },
    get bouncer() {
      return started(bouncer);
    },
    async harness(applicationName, extra = {}, options = {}, target) {
      const config = pingConfig(target ?? started(bouncer), setup.role, setup.databases[0] as string, applicationName, extra);
      const h = await createHarness(plugin, config, { timeout: '2s', ...options });
      open.push(h);
      return h;
    },
    adopt(h) {
      open.push(h);
      return h;
    },
    async closeHarnesses(...only) {
      const closing = only.length === 0 ? open.splice(0) : only.filter((h) => open.includes(h));
      for (const h of closing) open.splice(open.indexOf(h), 1);
      await Promise.all(closing.map((h) => h.close()));
    },
  };
}
