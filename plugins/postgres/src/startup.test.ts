import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { createHarness } from '@muster/testing';
import plugin from './index.js';
import { pgReason } from './testing/readings.js';

/**
 * What the plugin puts in its StartupMessage, read off the wire by a listener that records the
 * first message of each connection and hangs up. Poolers refuse parameters they do not know
 * (PgBouncer: "unsupported startup parameter"), so only what every pooler accepts may be there.
 */
let listener: Server;
const seen: Record<string, string>[] = [];

before(async () => {
  listener = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
      const length = buffered.readInt32BE(0);
      assert.equal(buffered.readInt32BE(4), 196608, 'protocol 3.0');
      const fields = buffered.subarray(8, length - 1).toString('utf8').split('\0');
      const params: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) params[fields[i] as string] = fields[i + 1] as string;
      seen.push(params);
      socket.destroy();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
});
after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

test('the startup message holds only user, database, application_name (and client_encoding)', async () => {
  const address = listener.address();
  assert.ok(typeof address === 'object' && address !== null);
  const h = await createHarness(
    plugin,
    { host: '127.0.0.1', port: address.port, user: 'muster_ping', password: 'pw', database: 'orders', applicationName: 'startup-check', query: 'SELECT 1' },
    { timeout: '5s' },
  );
  try {
    const cycle = await h.cycle();
    assert.equal(pgReason(cycle), 'error', 'the listener hung up');
  } finally {
    await h.close();
  }
  assert.ok(seen.length >= 1);
  for (const params of seen) {
    // client_encoding=UTF8 is node-postgres' own and one PgBouncer always accepts.
    assert.deepEqual(params, { user: 'muster_ping', database: 'orders', application_name: 'startup-check', client_encoding: 'UTF8' });
  }
});
