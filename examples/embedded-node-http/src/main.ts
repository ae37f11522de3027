import { createMuster } from '@muster/app';
import { createHelloServer } from './server.js';

// One registry for this app: its metrics, request metrics, uptime and last-request time.
// Pass { config } or { configFile } to run muster's collector plugins in this process too.
const muster = createMuster();
await muster.start();

const server = createHelloServer(muster);
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => console.log(`hello on http://${host}:${port}/, metrics on /metrics`));

// Graceful: stop taking requests, let in-flight ones finish, then stop muster.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => void muster.close()));
}
