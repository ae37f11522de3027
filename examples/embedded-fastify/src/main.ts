import { buildApp } from './app.js';

const app = await buildApp({ logger: true });
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });

// Graceful: in-flight requests finish, then muster stops its plugin instances (onClose).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close());
}
