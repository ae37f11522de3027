import { fileURLToPath } from 'node:url';
import muster, { STANDARD_PLUGINS } from '@muster/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

/** The muster config beside this package: plugin instances to run in-process. */
export const MUSTER_CONFIG = fileURLToPath(new URL('../muster.yaml', import.meta.url));

/** The hello-world server of the seed article, with muster inside. */
export async function buildApp(options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });

  // GET /metrics, request metrics for every route, app uptime, and the plugins of muster.yaml.
  await app.register(muster, {
    path: '/metrics',
    configFile: MUSTER_CONFIG,
    builtins: STANDARD_PLUGINS, // lets muster.yaml say `use: system`
    resolveFrom: import.meta.url, // plugin packages resolve from this app
  });

  // One metric of the app's own, in the same registry and exposition.
  const greetings = app.muster.metrics.counter({
    name: 'hello_greetings_total',
    help: 'Greetings sent, by who was greeted.',
    labelNames: ['who'],
  });

  app.get('/', async () => {
    greetings.inc({ who: 'world' });
    return 'Hello, World!\n';
  });

  app.get<{ Params: { name: string } }>('/hello/:name', async (request) => {
    greetings.inc({ who: 'someone' }); // never the name itself: every label value is a series
    return `Hello, ${request.params.name}!\n`;
  });

  return app;
}
