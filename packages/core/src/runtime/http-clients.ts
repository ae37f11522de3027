import { createHttpClient, type Got } from '@muster/sdk';

/**
 * got clients shared by every instance with the same request timeout and user agent: a got
 * instance holds its merged options, hooks and handlers, several KB each, and a thousand
 * instances of one plugin need one of them, not a thousand. Clients are stateless between
 * requests (each request gets its own options), so sharing one is safe.
 */
const clients = new Map<string, Got>();

/** The shared client for `timeoutMs` and `userAgent`, created on first use. */
export function sharedHttpClient(timeoutMs: number, userAgent: string): Got {
  const key = `${timeoutMs}\u0000${userAgent}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = createHttpClient({ timeoutMs, userAgent });
    // got freezes a client's defaults except `context`: frozen too, so no instance can leave
    // data (a token) there for the others. A request's own context and extend() still work.
    Object.freeze(client.defaults.options.context);
    clients.set(key, client);
  }
  return client;
}
