/**
 * A TCP or TLS front on 127.0.0.1 that forwards to a local backend or misbehaves on demand (the
 * fault-matrix tests, faults.test.ts).
 */
import assert from 'node:assert/strict';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { KeyCert } from '@muster/testing';

/**
 * What a front does with connections:
 * - `forward`: pass bytes both ways to the backend;
 * - `refuse`: nothing listens (connection refused);
 * - `hang`: accept (and finish the TLS handshake) and never answer;
 * - `slow`: accept and forward only after `slowMs` (an answer after the client's timeout);
 * - `cut`: forward the request, pass on half of the backend's first answer, then cut both sides;
 * - `garbage`: answer as an HTTP proxy would (`HTTP/1.1 502` and an HTML page), then close.
 */
export type FrontMode = 'forward' | 'refuse' | 'hang' | 'slow' | 'cut' | 'garbage';

/** A TCP (or TLS-terminating) front on 127.0.0.1 before a local backend port. */
export interface Front {
  readonly port: number;
  readonly mode: FrontMode;
  /** Switches mode; open connections are cut, as a restart of the backend would. */
  set(mode: FrontMode): Promise<void>;
  /** TLS fronts: serve `cert` to new connections (open ones are cut). */
  useCert(cert: KeyCert): void;
  /** Cuts every open connection (pooled and kept-alive ones included). */
  drop(): void;
  close(): Promise<void>;
}

const GARBAGE =
  'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: 50\r\nconnection: close\r\n\r\n<html><body><h1>502 Bad Gateway</h1></body></html>';

export async function startFront(targetPort: number, options: { tls?: KeyCert; slowMs?: number } = {}): Promise<Front> {
  const slowMs = options.slowMs ?? 2_000;
  const open = new Set<Socket>();
  let mode: FrontMode = 'forward';

  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  };
  const pipeBoth = (client: Socket) => {
    if (client.destroyed) return;
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.resume();
  };
  const onConnection = (client: Socket) => {
    track(client);
    const now = mode;
    if (now === 'hang') {
      client.resume();
    } else if (now === 'garbage') {
      client.end(GARBAGE);
    } else if (now === 'slow') {
      client.pause();
      setTimeout(() => pipeBoth(client), slowMs).unref();
    } else if (now === 'cut') {
      const upstream = connect(targetPort, '127.0.0.1');
      track(upstream);
      client.pipe(upstream);
      upstream.once('data', (chunk: Buffer) => {
        client.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => {
          client.destroy();
          upstream.destroy();
        });
      });
    } else {
      pipeBoth(client);
    }
  };

  const server: Server | TlsServer =
    options.tls === undefined
      ? createTcpServer(onConnection)
      : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => onConnection(socket));
  // A failed handshake (the client refused our certificate) is the point of some tests.
  server.on('tlsClientError', () => undefined);
  server.on('connection', (raw: Socket) => track(raw));

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  let listening = true;

  const drop = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port,
    get mode() {
      return mode;
    },
    async set(next) {
      mode = next;
      drop();
      if (next === 'refuse' && listening) {
        listening = false;
        await new Promise((resolve) => server.close(resolve));
      } else if (next !== 'refuse' && !listening) {
        await listen(port);
        listening = true;
      }
    },
    useCert(cert) {
      assert.ok('setSecureContext' in server, 'useCert needs a TLS front');
      server.setSecureContext({ key: cert.key, cert: cert.cert });
      drop();
    },
    drop,
    async close() {
      drop();
      if (listening) {
        listening = false;
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
