/**
 * The user that test servers (PostgreSQL, PgBouncer) run as when the tests run as root: both
 * refuse to run as root.
 *
 * @packageDocumentation
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** A system user to run a server process as. */
export interface ServiceUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

function lookupUser(name: string): ServiceUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The user test servers run as when we are root; `undefined` when we are not root.
 * `MUSTER_TEST_POSTGRES_USER` names one; else `postgres` when it exists (Debian's package
 * creates it), else `nobody`, else a system user `muster-postgres` created with `useradd`.
 */
export function serviceUser(): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const wanted = process.env.MUSTER_TEST_POSTGRES_USER;
  if (wanted !== undefined && wanted !== '') {
    const user = lookupUser(wanted);
    if (user === undefined) throw new Error(`MUSTER_TEST_POSTGRES_USER=${wanted}: no such user`);
    return user;
  }
  for (const name of ['postgres', 'nobody']) {
    const user = lookupUser(name);
    if (user !== undefined && user.uid !== 0) return user;
  }
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'muster-postgres'], { stdio: 'ignore' });
  const created = lookupUser('muster-postgres');
  if (created === undefined) throw new Error('running as root and could not find or create a user to run PostgreSQL as');
  return created;
}
