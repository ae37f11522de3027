import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sharedHttpClient } from './http-clients.js';

describe('sharedHttpClient', () => {
  let server: Server;
  let url = '';
  const seen: (string | undefined)[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is one client per timeout and user agent', () => {
    assert.equal(sharedHttpClient(1_000, 'muster/test'), sharedHttpClient(1_000, 'muster/test'));
    assert.notEqual(sharedHttpClient(1_000, 'muster/test'), sharedHttpClient(2_000, 'muster/test'));
  });

  it("keeps no instance's data for the others: its defaults, context included, cannot be written", async () => {
    const mine = sharedHttpClient(1_500, 'muster/test');
    assert.throws(() => {
      (mine.defaults.options.context as Record<string, unknown>).token = 'secret';
    }, TypeError);
    assert.throws(() => {
      (mine.defaults.options.headers as Record<string, string>).authorization = 'Bearer secret';
    }, TypeError);
    // Per request and per extend() everything still works, and stays with that request.
    const withAuth = mine.extend({ headers: { authorization: 'Bearer mine' }, context: { token: 'mine' } });
    assert.equal(await withAuth(url).text(), 'ok');
    assert.equal(await sharedHttpClient(1_500, 'muster/test')(url, { context: { a: 1 } }).text(), 'ok');
    assert.deepEqual(seen, ['Bearer mine', undefined]);
    assert.deepEqual(sharedHttpClient(1_500, 'muster/test').defaults.options.context, {});
  });
});
