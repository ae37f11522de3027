// Helpers for this package's tests (not exported by the package).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The folder of the test plugins. */
export const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

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

/** promtool: skip locally when missing, fail in CI; and its check. */
export { promtoolCheck, toolSkip } from '@muster/testing';
