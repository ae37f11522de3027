import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP endpoint that is healthy, then unhealthy, in turns. */
export interface FlakyEndpoint {
  /** `http://127.0.0.1:PORT/health`. */
  readonly url: string;
  /** Whether it answers 200 right now. */
  healthy(): boolean;
  close(): Promise<void>;
}

/**
 * Starts the flaky endpoint on a free loopback port: `GET /health` answers 200
 * `{"status":"UP"}` for `periodMs`, then 503 `{"status":"DOWN"}` for `periodMs`, and so on.
 * With `steady` it is always healthy.
 */
export async function startFlaky(options: { periodMs: number; steady?: boolean }): Promise<FlakyEndpoint> {
  const started = Date.now();
  const healthy = () => options.steady === true || Math.floor((Date.now() - started) / options.periodMs) % 2 === 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const up = healthy();
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: up ? 'UP' : 'DOWN' }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    healthy,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
