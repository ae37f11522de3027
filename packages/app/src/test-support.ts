// Helpers for this package's tests (not exported by the package).
import { spawnSync } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The folder of the test plugins. */
export const FIXTURES = fileURLToPath(new URL('../test-fixtures/', import.meta.url));

/** Starts `handler` on 127.0.0.1, port 0; returns its base URL and a stop function. */
export async function listen(handler: RequestListener): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function promtoolPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

/**
 * The `skip` option of a promtool test: a clear message when promtool is not installed, except in
 * CI (`CI=true`), where the test runs and fails without it.
 */
export function promtoolSkip(): string | false {
  if (promtoolPath() !== undefined || process.env.CI === 'true') return false;
  return 'SKIPPED: promtool not installed (Debian package "prometheus")';
}

/** Runs `promtool check metrics` on an exposition; throws when promtool is missing. */
export function promtoolCheck(exposition: string): { code: number | null; output: string } {
  const path = promtoolPath();
  if (path === undefined) throw new Error('promtool is required (CI installs it: Debian package "prometheus") but is not installed');
  const result = spawnSync(path, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
