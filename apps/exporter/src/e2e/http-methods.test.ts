import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { FIXTURES } from './testing/paths.js';

describe('wrong methods', () => {
  let exporter: Exporter;
  before(async () => {
    exporter = await startExporter(writeConfig(`plugins:\n  - { name: a, use: ${join(FIXTURES, 'sleepy.mjs')}, config: { sleepMs: 1 } }\n`));
  });
  after(() => exporter?.stop());

  it('get 405 with the Allow header on every known path, and unknown paths 404', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/metrics', 'GET, HEAD'],
      ['DELETE', '/metrics?collector=a', 'GET, HEAD'],
      ['PUT', '/healthz', 'GET, HEAD'],
      ['POST', '/readyz', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['PATCH', '/api/status', 'GET, HEAD'],
      ['POST', '/status/app.js', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${exporter.url}${path}`, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
      assert.match(await res.text(), new RegExp(`method ${method} not allowed`));
    }
    // Without the reload endpoint, /-/reload is no known path.
    assert.equal((await fetch(`${exporter.url}/-/reload`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${exporter.url}/nothing-here`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${exporter.url}/metrics`, { method: 'HEAD' })).status, 200);
  });
});
