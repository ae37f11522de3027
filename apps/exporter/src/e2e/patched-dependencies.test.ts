import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { createHttpClient } from '@muster/sdk';
import { toolSkip } from '@muster/testing';
import { makeFixtureCerts } from '../web-config/conformance/fixture-certs.js';

/** Resolves a package the way got does, from got's own folder (as the SDK loads it). */
const requireFromGot = createRequire(createRequire(import.meta.resolve('@muster/sdk')).resolve('got'));

/**
 * The dependencies patched to load less at import (patches/ at the repository root) still do
 * what they did when the code they now load late is used.
 */
describe('patched dependencies', () => {
  it('got with http2: true loads http2-wrapper when asked and speaks HTTP/2', { skip: toolSkip('openssl') }, async (t) => {
    const certs = makeFixtureCerts();
    const server = createSecureServer({ key: certs.read('server.key'), cert: certs.read('server.crt') }, (request, response) => {
      response.end(`h2 ${request.httpVersion}`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const client = createHttpClient({ timeoutMs: 10_000, userAgent: 'muster-test' });
    const response = await client(`https://127.0.0.1:${port}/`, { http2: true, https: { certificateAuthority: certs.read('tls-ca-chain.pem') } });
    assert.equal(response.httpVersion, '2.0');
    assert.equal(response.body, 'h2 2.0');
  });

  it("@sindresorhus/is still lists the expected and received types in got's validation errors", async () => {
    const is = (await import(pathToFileURL(requireFromGot.resolve('@sindresorhus/is')).href)) as {
      assert: { any: (predicates: unknown[], ...values: unknown[]) => void };
      default: { string: unknown; number: unknown };
    };
    assert.throws(() => is.assert.any([is.default.string, is.default.number], true, null), {
      message: 'Expected values which are `string` or `number`. Received values of types `boolean` and `null`.',
    });
  });

  it('@sindresorhus/is builds no Intl.ListFormat at import (4.6 MiB of ICU data), only when a message needs one', () => {
    // A fresh process: this one may have loaded the package already.
    const script = `
      let built = 0;
      const ListFormat = Intl.ListFormat;
      Intl.ListFormat = class extends ListFormat { constructor(...args) { super(...args); built++; } };
      const is = await import(${JSON.stringify(pathToFileURL(requireFromGot.resolve('@sindresorhus/is')).href)});
      const atImport = built;
      try { is.assert.any([is.default.string, is.default.number], true); } catch {}
      console.log(JSON.stringify({ atImport, afterMessage: built }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { atImport: 0, afterMessage: 2 });
  });
});
