import type { FastifyInstance } from 'fastify';

/** A route as registered: its URL pattern split in segments, and its method. */
interface Known {
  readonly segments: readonly string[];
  readonly method: string;
}

/** True when a request path's segments match a pattern's (`:param` matches one segment, `*` the rest). */
function matches(pattern: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    if (p === '*') return true;
    const s = path[i];
    if (s === undefined) return false;
    if (p.startsWith(':') ? s === '' : p !== s) return false;
  }
  return pattern.length === path.length;
}

const split = (url: string) => url.split('?')[0]?.split('/') ?? [];

/**
 * Answers a known path asked with the wrong method with 405 and an `Allow` header listing the
 * methods it serves (RFC 9110), and an unknown path with 404. Call before registering routes.
 */
export function answerWrongMethods(app: FastifyInstance): void {
  const known: Known[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) known.push({ segments: split(route.url), method: method.toUpperCase() });
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = split(request.url);
    const allow = [...new Set(known.filter((k) => matches(k.segments, path)).map((k) => k.method))].sort();
    if (allow.length > 0) {
      return reply
        .code(405)
        .header('allow', allow.join(', '))
        .type('text/plain; charset=utf-8')
        .send(`method ${request.method} not allowed on this path; allowed: ${allow.join(', ')}\n`);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
  });
}
