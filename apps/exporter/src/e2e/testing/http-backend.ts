import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A local HTTP server whose handler can be swapped, and which can be stopped and restarted on its port. */
export interface TestServer {
  readonly port: number;
  readonly url: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** Starts a {@link TestServer} with `handler` on 127.0.0.1 and a free port. */
export async function testServer(handler: TestServer['handler']): Promise<TestServer> {
  let server: Server;
  const sockets = new Set<Socket>();
  const listen = async (port: number) => {
    server = createServer((req, res) => api.handler(req, res));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  };
  const port = await listen(0);
  const api: TestServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    handler,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
    async restart() {
      await listen(port);
    },
  };
  return api;
}
