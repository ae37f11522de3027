/** Test helpers: real HTTP(S) servers on 127.0.0.1, a closed port and a self-signed certificate. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type KeyCert, selfSignedCert as kitSelfSignedCert } from '@muster/testing';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A listening test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

async function listen(server: Server, scheme: 'http' | 'https', counter: { n: number }): Promise<TestServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    get requests() {
      return counter.n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function counted(handler: Handler, counter: { n: number }): Handler {
  return (req, res) => {
    counter.n++;
    handler(req, res);
  };
}

/** Starts an HTTP server on 127.0.0.1 and a free port. */
export function startServer(handler: Handler): Promise<TestServer> {
  const counter = { n: 0 };
  return listen(createHttpServer(counted(handler, counter)), 'http', counter);
}

/** Starts an HTTPS server on 127.0.0.1 and a free port with `cert`. */
export function startHttpsServer(handler: Handler, cert: TestCert): Promise<TestServer> {
  const counter = { n: 0 };
  return listen(createHttpsServer({ key: cert.key, cert: cert.cert }, counted(handler, counter)), 'https', counter);
}

/** A port that was listening a moment ago and is closed now: connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => {});
  await server.close();
  return server.port;
}

/** A PEM key and certificate. */
export type TestCert = KeyCert;

/** A self-signed certificate for `localhost` and 127.0.0.1, or for `dnsName` only (the test kit's). */
export function selfSignedCert(dnsName?: string): Promise<TestCert> {
  return kitSelfSignedCert(dnsName === undefined ? {} : { hosts: [dnsName] });
}
