import { createServer } from 'node:net';

/**
 * A TCP port free on loopback a moment ago: for a server whose port must be known before it
 * starts (a Prometheus config naming it). Another process may take it meanwhile; where the server
 * can bind port 0 and report the port it got, prefer that.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port for a loopback listener');
  return address.port;
}
