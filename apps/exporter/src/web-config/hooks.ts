import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { LiveWebConfig } from './live.js';
import { followWebConfig, httpsOptions } from './tls-server.js';

/** The Fastify options a web config sets: `https` when it configures TLS. */
export function webServerOptions(web: LiveWebConfig): { https?: ReturnType<typeof httpsOptions> } {
  const tls = web.current.tls;
  return tls === undefined ? {} : { https: httpsOptions(tls) };
}

/**
 * Puts every route behind the web config, in the toolkit's order: the rate limit (429), the
 * configured response headers, then bcrypt basic auth (401 with a challenge; 429 when too many
 * checks already wait). TLS connections follow the web config as it changes (see tls-server.ts);
 * a plain HTTP server looks for changes at each new connection.
 */
export function applyWebConfig(app: FastifyInstance, web: LiveWebConfig): void {
  if (web.current.tls !== undefined) followWebConfig(app.server as unknown as TlsServer, web);
  else app.server.prependListener('connection', () => web.refresh());

  app.addHook('onRequest', async (request, reply) => {
    web.refreshSometimes();
    const limiter = web.limiter;
    if (limiter !== undefined && !limiter.allow()) {
      const wait = limiter.waitMs;
      if (Number.isFinite(wait)) reply.header('retry-after', Math.max(1, Math.ceil(wait / 1000)));
      return reply.code(429).type('text/plain; charset=utf-8').send('Too Many Requests\n');
    }
    for (const [name, value] of Object.entries(web.current.headers)) reply.header(name, value);
    if (!web.auth.enabled) return undefined;
    const result = await web.auth.check(request.headers.authorization);
    if (result === 'ok') return undefined;
    if (result === 'busy') {
      // Too many unknown credentials are being checked: answer now instead of queueing.
      return reply.code(429).header('retry-after', 1).type('text/plain; charset=utf-8').send('Too Many Requests: authentication is busy\n');
    }
    return reply.code(401).header('www-authenticate', 'Basic realm="muster"').type('text/plain; charset=utf-8').send('Unauthorized\n');
  });
}
