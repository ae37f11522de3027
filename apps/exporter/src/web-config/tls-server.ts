import type { Server as NetServer, Socket } from 'node:net';
import { type Server as TlsServer, TLSSocket } from 'node:tls';
import { hasAllowedSan } from './client-sans.js';
import type { LiveWebConfig } from './live.js';
import type { TlsSettings } from './load.js';

/** A TLS handshake must finish within this time, or the connection is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

type Listener = (this: NetServer, socket: Socket) => void;

/**
 * Gives Node's TLS server the client-certificate semantics of Go's `crypto/tls` and makes it
 * follow the web config for every new connection:
 *
 * - each new connection first looks whether the web config changed; a new version becomes the
 *   server's secure context (`setSecureContext`) and client policy before that connection's
 *   handshake;
 * - `RequireAnyClientCert`: a client without a certificate fails the handshake (OpenSSL refuses
 *   it), and a certificate is not verified against any CA — Node's server cannot say "require
 *   but do not verify", so muster wraps these connections itself;
 * - `VerifyClientCertIfGiven`: a certificate that is given must verify; without one the client
 *   is let in;
 * - `client_allowed_sans`: a client certificate must carry one of them;
 *
 * Connections refused after the handshake are closed before HTTP sees them.
 */
export function followWebConfig(server: TlsServer, live: LiveWebConfig): void {
  // Node's TLS server reads these two (set from its options) for every new connection.
  const policy = server as TlsServer & { requestCert: boolean; rejectUnauthorized: boolean };
  const standard = server.listeners('connection') as Listener[];
  const http = server.listeners('secureConnection') as Listener[];
  server.removeAllListeners('connection');
  server.removeAllListeners('secureConnection');
  let applied = live.current.tls;
  const apply = (tls: TlsSettings) => {
    server.setSecureContext(tls.options);
    policy.requestCert = tls.options.requestCert;
    policy.rejectUnauthorized = tls.options.rejectUnauthorized;
    applied = tls;
  };

  server.on('connection', (raw: Socket) => {
    live.refresh();
    const tls = live.current.tls;
    if (tls === undefined) {
      raw.destroy();
      return;
    }
    if (tls !== applied) apply(tls);
    if (tls.clientAuth !== 'RequireAnyClientCert') {
      for (const listener of standard) listener.call(server, raw);
      return;
    }
    const socket = new TLSSocket(raw, {
      isServer: true,
      server,
      secureContext: tls.context,
      // OpenSSL then refuses a client without a certificate in the handshake; Node's verify
      // callback accepts any certificate, and nothing here checks the chain afterwards.
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: tls.options.ALPNProtocols,
    });
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.on('secure', () => {
      socket.setTimeout(0);
      server.emit('secureConnection', socket);
    });
    socket.on('error', (err) => {
      server.emit('tlsClientError', err, socket);
      socket.destroy();
    });
  });

  server.on('secureConnection', (socket: TLSSocket) => {
    const tls = live.current.tls;
    if (tls !== undefined && !admits(socket, tls)) {
      socket.destroy();
      return;
    }
    for (const listener of http) listener.call(server, socket);
  });
}

/** The checks Go makes in the handshake that Node's server does not make itself. */
function admits(socket: TLSSocket, tls: TlsSettings): boolean {
  if (tls.clientAuth === 'NoClientCert') return true;
  const cert = socket.getPeerX509Certificate();
  if (tls.clientAuth === 'VerifyClientCertIfGiven' && cert !== undefined && !socket.authorized) return false;
  if (tls.allowedSans !== undefined) return cert !== undefined && hasAllowedSan(cert, tls.allowedSans);
  return true;
}

/** The `https` option of the server for `tls`: its settings and a handshake deadline. */
export function httpsOptions(tls: TlsSettings): TlsSettings['options'] & { handshakeTimeout: number } {
  return { ...tls.options, handshakeTimeout: HANDSHAKE_TIMEOUT_MS };
}
