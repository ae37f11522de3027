import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promtoolCheck, readGzipMembers, requireTool } from '@muster/testing';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { launchChromium } from './testing/chromium.js';
import { FIXTURES } from './testing/paths.js';

/**
 * Lines that may change between two scrapes of an idle exporter (process CPU, memory, uptime…):
 * every other line must be the same in every client's copy, in the same order.
 */
const VOLATILE = /^(# (HELP|TYPE) )?(process_|nodejs_)/;

function stable(body: string): string[] {
  return body.split('\n').filter((line) => !VOLATILE.test(line));
}

function run(command: string, args: string[], input?: Buffer): { code: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(command, args, { input, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr?.toString() ?? '' };
}

/** A few MB of exposition over several instances, so that the body is made of many compressed pieces. */
const CONFIG = `defaults: { align: true }
plugins:
  - { name: many-a, use: ${join(FIXTURES, 'many.mjs')}, schedule: 1h, maxSeries: 50000, config: { series: 12000 } }
  - { name: many-b, use: ${join(FIXTURES, 'many.mjs')}, schedule: 1h, maxSeries: 50000, labels: { team: "back\\\\slash \\"quoted\\"" }, config: { series: 8000 } }
  - { name: host, use: system, schedule: 1h }
`;

describe('every client reads the whole gzip body of /metrics', { timeout: 180_000 }, () => {
  const curl = requireTool('curl', 'curl');
  const python = requireTool('python3', 'python3');
  const browser = requireTool('chromium');
  const promtool = requireTool('promtool');
  let exporter: Exporter;
  let plain: { text: string; openmetrics: string };

  before(async () => {
    exporter = await startExporter(writeConfig(CONFIG));
    for (let i = 0; i < 200; i++) {
      const ready = await fetch(`${exporter.url}/readyz`);
      if (ready.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const text = await exporter.scrape('/metrics', { 'accept-encoding': 'identity' });
    const openmetrics = await exporter.scrape('/metrics', { 'accept-encoding': 'identity', accept: 'application/openmetrics-text;version=1.0.0' });
    assert.equal(text.headers.get('content-encoding'), null);
    plain = { text: text.body, openmetrics: openmetrics.body };
    assert.ok(plain.text.length > 1_000_000, `a body over a MB (${plain.text.length} bytes)`);
    assert.ok(plain.openmetrics.endsWith('# EOF\n'));
  });

  after(async () => {
    await exporter?.stop();
  });

  for (const format of ['text', 'openmetrics'] as const) {
    const accept = format === 'text' ? 'text/plain;version=0.0.4' : 'application/openmetrics-text;version=1.0.0';

    it(`sends exactly one gzip member that Node, Python and promtool read whole (${format})`, async (t) => {
      const res = await fetch(`${exporter.url}/metrics`, { headers: { accept, 'accept-encoding': 'gzip' } });
      assert.equal(res.headers.get('content-encoding'), 'gzip');
      // fetch decodes the body; read the raw bytes with curl instead (no decoding).
      if ('skip' in curl) return t.skip(curl.skip);
      const raw = run(curl.path, ['-sS', '-H', `Accept: ${accept}`, '-H', 'Accept-Encoding: gzip', `${exporter.url}/metrics`]);
      assert.equal(raw.code, 0, raw.stderr);
      const members = readGzipMembers(raw.stdout);
      assert.equal(members.length, 1, 'one gzip member');
      const body = (members[0] as { data: Buffer }).data.toString('utf8');
      assert.deepEqual(stable(body), stable(plain[format]));
      if (!('skip' in python)) {
        const py = run(python.path, ['-c', 'import gzip,sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))'], raw.stdout);
        assert.equal(py.code, 0, py.stderr);
        assert.equal(py.stdout.toString('utf8'), body);
      }
      if (format === 'text' && !('skip' in promtool)) {
        const lint = promtoolCheck(body);
        assert.equal(lint.code, 0, lint.output);
      }
    });

    it(`curl --compressed exits 0 with the whole body (${format})`, (t) => {
      if ('skip' in curl) return t.skip(curl.skip);
      const got = run(curl.path, ['-sS', '--compressed', '-D', '-', '-H', `Accept: ${accept}`, `${exporter.url}/metrics`]);
      assert.equal(got.code, 0, `curl exit ${got.code}: ${got.stderr}`);
      const out = got.stdout.toString('utf8');
      const split = out.indexOf('\r\n\r\n');
      const headers = out.slice(0, split).toLowerCase();
      assert.match(headers, /content-encoding: gzip/);
      const body = out.slice(split + 4);
      assert.deepEqual(stable(body), stable(plain[format]));
      if (format === 'openmetrics') assert.ok(body.endsWith('# EOF\n'));
    });
  }

  it('headless Chromium shows every line of /metrics', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    const chrome = await launchChromium(browser.path);
    try {
      const { page } = chrome;
      const response = await page.goto(`${exporter.url}/metrics`);
      assert.ok(response !== null);
      assert.equal(response.headers()['content-encoding'], 'gzip', 'Chromium asked for gzip and got it');
      // What the page shows (rendered text), not the DOM's: that is what a person reads.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
      const shown = await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
      const lines = stable(`${shown.replace(/\n+$/, '')}\n`);
      assert.equal(lines.length, stable(plain.text).length, 'as many lines as the uncompressed body');
      assert.deepEqual(lines, stable(plain.text));
    } finally {
      await chrome.close();
    }
  });
});
