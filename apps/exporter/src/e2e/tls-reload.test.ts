import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, findSamples, parseExposition, selfSignedCert } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';

// http-health instances share one pair of HTTP agents: each instance's TLS setting must still be
// its own, before and after a reload that swaps them.
describe('http-health TLS settings per instance, across a reload', { timeout: 120_000 }, () => {
  let server: Server;
  let exporter: Exporter | undefined;
  let url = '';
  let caPem = '';

  before(async () => {
    const cert = await selfSignedCert({ hosts: ['127.0.0.1'] });
    server = createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    caPem = cert.cert;
  });
  after(async () => {
    await exporter?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const config = (trusting: string) =>
    `defaults: { schedule: 500ms, timeout: 400ms, align: true }\nplugins:\n${['a', 'b']
      .map((name) => `  - name: ${name}\n    use: http-health\n    config:\n      url: ${url}\n${name === trusting ? `      tls:\n        ca: ${JSON.stringify(caPem)}\n` : ''}`)
      .join('')}`;

  /** The failure reason each instance reports (undefined before its first check). */
  async function reasons(): Promise<Record<string, string | undefined>> {
    const parsed = parseExposition((await exporter!.scrape()).body);
    const reason = (collector: string) =>
      ['none', 'tls'].find((r) => findSamples(parsed, 'http_health_failure_reason', { collector, http_health_failure_reason: r })[0]?.value === 1);
    return { a: reason('a'), b: reason('b') };
  }

  it('trusts the CA only for the instance that has it, and follows a reload that swaps them', async () => {
    const file = writeConfig(config('a'));
    exporter = await startExporter(file);
    let seen: Record<string, string | undefined> = {};
    assert.ok(await eventually(async () => {
      seen = await reasons();
      return seen.a !== undefined && seen.b !== undefined;
    }), exporter.output());
    assert.deepEqual(seen, { a: 'none', b: 'tls' }, 'before the reload');

    writeFileSync(file, config('b'));
    exporter.process.kill('SIGHUP');
    assert.ok(await eventually(async () => {
      seen = await reasons();
      return seen.a === 'tls' && seen.b === 'none';
    }), `after the reload: ${JSON.stringify(seen)}\n${exporter.output()}`);
    // And it stays so, check after check.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await reasons(), { a: 'tls', b: 'none' });
    }
  });
});
