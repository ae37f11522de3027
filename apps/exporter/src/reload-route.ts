import { isIP } from 'node:net';
import type { ReloadOutcome } from '@muster/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The header that marks a reload request as sent on purpose. A browser sends a custom header (or
 * `Content-Type: application/json`) cross-site only after a CORS preflight, which muster never
 * grants; a form post or a `no-cors` fetch from another site can send neither.
 */
export const RELOAD_HEADER = 'x-muster-reload';

/** Why a request may not reload the config, or undefined when it may. */
export function reloadRefusal(request: FastifyRequest): { status: number; message: string } | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, request)) {
    return { status: 403, message: `cross-origin reload refused: Origin ${JSON.stringify(origin)} is not this server` };
  }
  if (origin !== undefined && !addressedByAddress(request.headers.host)) {
    // DNS rebinding: a page of evil.example whose name now resolves to this machine is
    // same-origin with itself, so its Origin and Host agree; only the name it uses gives it away.
    return {
      status: 403,
      message: `reload from a browser refused: Host ${JSON.stringify(request.headers.host ?? '')} is a DNS name (a DNS-rebinding page?); address muster by IP address or localhost`,
    };
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `cross-site reload refused (Sec-Fetch-Site: ${site})` };
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && request.headers[RELOAD_HEADER] === undefined) {
    return {
      status: 415,
      message: `send "${RELOAD_HEADER}: 1" (or Content-Type: application/json with a JSON body): a browser sends neither cross-site without a CORS preflight`,
    };
  }
  return undefined;
}

/** True when a Host header names an IP address or `localhost` (which no DNS answer can rebind). */
function addressedByAddress(host: string | undefined): boolean {
  if (host === undefined) return false;
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}

/** True when `origin` is scheme://host[:port] of this very server, as the client addressed it. */
function sameOrigin(origin: string, request: FastifyRequest): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed page, a file) or garbage
  }
  // Both sides as URL writes them: a Host of "LOCALHOST:9415" is the origin http://localhost:9415.
  let host: string;
  try {
    host = new URL(`${url.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
  return url.protocol === `${request.protocol}:` && url.host === host;
}

/**
 * Serves `POST /-/reload`: refuses what a browser could send from another site (a foreign
 * `Origin`, an `Origin` with a `Host` that is a DNS name (DNS rebinding), `Sec-Fetch-Site: cross-site`, or neither the {@link RELOAD_HEADER} header nor a JSON
 * body) before reading the body, then reloads; 200 with what changed, 500 with why the file was refused.
 */
export function registerReloadRoute(app: FastifyInstance, reload: () => Promise<ReloadOutcome>): void {
  app.post('/-/reload', {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const refusal = reloadRefusal(request);
      if (refusal !== undefined) return reply.code(refusal.status).send({ ok: false, error: refusal.message });
    },
    handler: async (_request, reply) => {
      const outcome = await reload();
      return reply.code(outcome.ok ? 200 : 500).send(outcome);
    },
  });
}
