import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { renderStatusPage } from './page.js';
import { type StatusContext, statusSnapshot } from './snapshot.js';
import { STATUS_CSS } from './style.js';

/** Everything the page loads comes from the exporter itself; nothing inline runs. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The browser modules of the page: this folder's compiled client and renderer, read once. */
function readModule(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
}

const ASSETS: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  'client.js': { type: 'text/javascript; charset=utf-8', body: readModule('client.js') },
  'render.js': { type: 'text/javascript; charset=utf-8', body: readModule('render.js') },
  'style.css': { type: 'text/css; charset=utf-8', body: STATUS_CSS },
};

/**
 * Registers the status page: `GET /` (HTML), `GET /api/status` (the same data as JSON) and
 * `GET /status/<asset>` (its script, renderer and stylesheet).
 */
export function registerStatusPage(app: FastifyInstance, context: StatusContext): void {
  app.get('/', async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(renderStatusPage(statusSnapshot(context))),
  );

  app.get('/api/status', async (_request, reply) => reply.header('cache-control', 'no-store').send(statusSnapshot(context)));

  app.get<{ Params: { asset: string } }>('/status/:asset', async (request, reply) => {
    const asset = Object.hasOwn(ASSETS, request.params.asset) ? ASSETS[request.params.asset] : undefined;
    if (asset === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    return reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type(asset.type).send(asset.body);
  });
}
