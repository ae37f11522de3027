import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { lazySchemaCompilers } from './schema-compilers.js';

describe('lazySchemaCompilers', () => {
  it('a route with a schema still validates its input and serializes its answer by the schema', async (t) => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers() } });
    t.after(() => app.close());
    app.post<{ Body: { count: number }; Querystring: { mode: string } }>(
      '/check',
      {
        schema: {
          querystring: { type: 'object', properties: { mode: { type: 'string', enum: ['a', 'b'] } }, required: ['mode'] },
          body: { type: 'object', properties: { count: { type: 'integer', minimum: 1 } }, required: ['count'] },
          headers: { type: 'object', properties: { 'x-token': { type: 'string', minLength: 3 } }, required: ['x-token'] },
          response: { 200: { type: 'object', properties: { count: { type: 'integer' }, mode: { type: 'string' } } } },
        },
      },
      async (request) => ({ count: request.body.count, mode: request.query.mode, secret: 'not in the schema' }),
    );
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const post = (query: string, body: unknown, token = 'abcd') =>
      fetch(`${address}/check?${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-token': token }, body: JSON.stringify(body) });

    const ok = await post('mode=a', { count: 2 });
    assert.equal(ok.status, 200);
    // fast-json-stringify writes only what the response schema declares.
    assert.deepEqual(await ok.json(), { count: 2, mode: 'a' });

    const badBody = await post('mode=a', { count: 0 });
    assert.equal(badBody.status, 400);
    assert.match(((await badBody.json()) as { message: string }).message, /body\/count must be >= 1/);

    const badQuery = await post('mode=c', { count: 2 });
    assert.equal(badQuery.status, 400);
    assert.match(((await badQuery.json()) as { message: string }).message, /querystring\/mode must be equal to one of the allowed values/);

    const badHeader = await post('mode=a', { count: 2 }, 'ab');
    assert.equal(badHeader.status, 400);
    assert.match(((await badHeader.json()) as { message: string }).message, /headers\/x-token must NOT have fewer than 3 characters/);
  });
});
