import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { BasicAuth } from './auth.js';
import type { WebSettings } from './load.js';

/**
 * Applies a web config to every route: the client-certificate policies Node's handshake does
 * not enforce itself, bcrypt basic auth (401 with a `WWW-Authenticate` challenge), and the
 * configured response headers.
 */
export function applyWebSettings(app: FastifyInstance, web: WebSettings): void {
  const auth = new BasicAuth(web.users);
  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket as TLSSocket;
    if (web.https !== undefined && (web.clientAuth === 'RequireAnyClientCert' || web.clientAuth === 'VerifyClientCertIfGiven')) {
      const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
      const presented = cert !== undefined && cert !== null && Object.keys(cert).length > 0;
      if (web.clientAuth === 'RequireAnyClientCert' && !presented) {
        return reply.code(403).type('text/plain; charset=utf-8').send('a client certificate is required\n');
      }
      if (web.clientAuth === 'VerifyClientCertIfGiven' && presented && !socket.authorized) {
        return reply.code(403).type('text/plain; charset=utf-8').send('the client certificate is not trusted\n');
      }
    }
    if (auth.enabled && !(await auth.check(request.headers.authorization))) {
      return reply.code(401).header('www-authenticate', 'Basic realm="muster"').type('text/plain; charset=utf-8').send('Unauthorized\n');
    }
    return undefined;
  });
  const headers = Object.entries(web.headers);
  if (headers.length > 0) {
    app.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of headers) reply.header(name, value);
      return payload;
    });
  }
}
