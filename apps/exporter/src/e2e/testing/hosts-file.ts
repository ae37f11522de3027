import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES } from './paths.js';

/** A hosts file for the `invalid-dns.mjs` preload: names listed resolve to 127.0.0.1, others fail with ENOTFOUND. */
export interface HostsFile {
  readonly path: string;
  /** What `startExporter` needs in `env` to load the preload and read this file. */
  readonly env: Record<string, string>;
  set(names: readonly string[]): void;
}

export function hostsFile(names: readonly string[] = []): HostsFile {
  const path = join(mkdtempSync(join(tmpdir(), 'muster-hosts-')), 'hosts');
  const set = (list: readonly string[]) => writeFileSync(path, list.map((n) => `${n}\n`).join(''));
  set(names);
  const preload = pathToFileURL(join(FIXTURES, 'invalid-dns.mjs')).href;
  return {
    path,
    env: { MUSTER_TEST_HOSTS_FILE: path, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
    set,
  };
}
