import { createServer, type Server } from 'node:http';
import { createMetricsHandler, type Muster, requestMetrics, timed, UNMATCHED_ROUTE } from '@muster/app';

/** The route template a path belongs to: what the request metrics use as `route` label. */
function routeOf(pathname: string): string | undefined {
  if (pathname === '/') return '/';
  if (/^\/hello\/[^/]+$/.test(pathname)) return '/hello/:name';
  return undefined;
}

const pathOf = (url: string | undefined) => new URL(url ?? '/', 'http://localhost').pathname;

/** The hello-world server of the seed article, with muster inside. */
export function createHelloServer(muster: Muster): Server {
  const metrics = createMetricsHandler(muster);
  // Counts every response by method, route template (never the raw URL) and status code.
  const countRequests = requestMetrics(muster, { route: (req) => routeOf(pathOf(req.url)) ?? UNMATCHED_ROUTE });

  // The Flask example timed a function with a decorator; timed() wraps one without.
  const greetingSeconds = muster.metrics.histogram({
    name: 'hello_greeting_seconds',
    help: 'Time spent writing a greeting, in seconds.',
    buckets: [0.0001, 0.001, 0.01, 0.1],
  });
  const greet = timed(greetingSeconds, (name: string) => `Hello, ${name}!\n`);

  return createServer((req, res) => {
    countRequests(req, res);
    const pathname = pathOf(req.url);
    if (pathname === '/metrics') return metrics(req, res);
    const route = req.method === 'GET' ? routeOf(pathname) : undefined;
    if (route === '/') return res.end(greet('World'));
    if (route === '/hello/:name') return res.end(greet(decodeURIComponent(pathname.slice('/hello/'.length))));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  });
}
