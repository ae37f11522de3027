import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findSamples, parseExposition, requireTool } from '@muster/testing';
import { type HeadlessChromium, launchChromium } from './testing/chromium.js';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES } from './testing/paths.js';

const SLEEPY = join(FIXTURES, 'sleepy.mjs');
const config = (name: string) =>
  `server: { reloadEndpoint: true }\nplugins:\n  - { name: ${name}, use: ${SLEEPY}, schedule: 200ms, timeout: 150ms, config: { sleepMs: 1 } }\n`;

describe('POST /-/reload refuses what a browser can send cross-site', () => {
  let exporter: Exporter;
  let file: string;
  before(async () => {
    file = writeConfig(config('before'));
    exporter = await startExporter(file);
    // The file on disk now differs: any reload that goes through replaces "before" by "after".
    writeFileSync(file, config('after'));
  });
  after(() => exporter?.stop());

  const instances = async () => findSamples(parseExposition((await exporter.scrape()).body), 'muster_collector_info').map((s) => s.labels.collector);
  const post = (headers: Record<string, string>, body?: string) =>
    fetch(`${exporter.url}/-/reload`, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });

  it('refuses a foreign Origin, Sec-Fetch-Site cross-site, and a body a form can send', async () => {
    const refusals: [Record<string, string>, string | undefined, number, RegExp][] = [
      [{ 'content-type': 'text/plain' }, '{}', 415, /x-muster-reload/],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'a=b', 415, /x-muster-reload/],
      [{}, undefined, 415, /CORS preflight/],
      [{ 'x-muster-reload': '1', origin: 'http://127.0.0.1:1' }, undefined, 403, /cross-origin reload refused/],
      [{ 'content-type': 'application/json', origin: 'null' }, '{}', 403, /cross-origin reload refused/],
      [{ 'x-muster-reload': '1', 'sec-fetch-site': 'cross-site' }, undefined, 403, /Sec-Fetch-Site: cross-site/],
      [{ 'x-muster-reload': '1', 'sec-fetch-site': 'same-site' }, undefined, 403, /Sec-Fetch-Site: same-site/],
    ];
    for (const [headers, body, status, message] of refusals) {
      const res = await post(headers, body);
      assert.equal(res.status, status, JSON.stringify(headers));
      const answer = (await res.json()) as { ok: boolean; error: string };
      assert.equal(answer.ok, false);
      assert.match(answer.error, message);
    }
    assert.deepEqual(await instances(), ['before'], 'no refused request reloaded');
  });

  /** A POST to /-/reload with a Host header of our choosing (fetch may not set one). */
  const postAs = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${exporter.url}/-/reload`, { method: 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject).end();
    });

  it('refuses a DNS-rebinding page (Origin and Host agree on a DNS name), accepts any case of localhost', async () => {
    const port = new URL(exporter.url).port;
    const rebound = await postAs({ host: `rebound.example:${port}`, origin: `http://rebound.example:${port}`, 'x-muster-reload': '1' });
    assert.equal(rebound.status, 403, rebound.body);
    assert.match(rebound.body, /DNS-rebinding/);
    // Same origin whatever the case of the Host: past the Origin check, refused only for lacking the header.
    const upper = await postAs({ host: `LOCALHOST:${port}`, origin: `http://localhost:${port}` });
    assert.equal(upper.status, 415, upper.body);
    assert.deepEqual(await instances(), ['before'], 'no refused request reloaded');
  });

  it('a page on another loopback port: a text/plain form POST and a no-cors fetch do not reload', async (t) => {
    const browser = requireTool('chromium');
    if ('skip' in browser) return t.skip(browser.skip);
    const target = `${exporter.url}/-/reload`;
    const page = `<!doctype html><title>elsewhere</title>
<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"x":"' value='"}'></form>
<script>
  fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', body: '{}', headers: { 'content-type': 'text/plain' } })
    .finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
</script>`;
    const attacker: TestServer = await testServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page);
    });
    let chrome: HeadlessChromium | undefined;
    try {
      chrome = await launchChromium(browser.path);
      const tab = chrome.page;
      type Seen = { method: string; status: number; origin: string | undefined; type: string | undefined };
      const responses: Promise<Seen>[] = [];
      tab.on('response', (res) => {
        if (res.url() !== target) return;
        responses.push(
          res
            .request()
            .allHeaders()
            .then((headers) => ({ method: res.request().method(), status: res.status(), origin: headers.origin, type: headers['content-type'] })),
        );
      });
      // The form's submission navigates the tab to the exporter's answer.
      const navigated = tab.waitForURL(target, { timeout: 20_000 });
      await tab.goto(attacker.url);
      await navigated;
      await tab.waitForLoadState('domcontentloaded');
      assert.match(await tab.content(), /cross-origin reload refused/, 'the form POST reached muster and was refused');
      const seen = await Promise.all(responses);
      assert.equal(seen.length, 2, `both requests reached muster: ${JSON.stringify(seen)}`);
      for (const s of seen) {
        assert.equal(s.method, 'POST');
        // 403: refused for its Origin or Sec-Fetch-Site (Chromium sends both on either request; the
        // content type alone would have earned a 415).
        assert.equal(s.status, 403, JSON.stringify(seen));
        if (s.origin !== undefined) assert.equal(s.origin, attacker.url);
        assert.match(s.type ?? '', /^text\/plain/);
      }
      assert.deepEqual(await instances(), ['before'], 'the reload did not happen');
      assert.doesNotMatch(exporter.output(), /configuration reloaded/);
    } finally {
      await chrome?.close();
      await attacker.stop();
    }
  });

  it('reloads when called as documented: the X-Muster-Reload header, or a JSON body', async () => {
    const res = await post({ 'x-muster-reload': '1' });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { summary: unknown }).summary, { kept: [], added: ['after'], changed: [], removed: ['before'] });
    writeFileSync(file, config('again'));
    const json = await post({ 'content-type': 'application/json', origin: exporter.url }, '{}');
    assert.equal(json.status, 200);
    assert.deepEqual(await instances(), ['again']);
  });

  it('a flood of 100 reload requests at once: each answered 200, sharing reloads instead of queueing 100', async () => {
    const count = () => exporter.output().match(/configuration reloaded/g)?.length ?? 0;
    const before = count();
    const answers = await Promise.all(Array.from({ length: 100 }, () => post({ 'x-muster-reload': '1' })));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    await Promise.all(answers.map((a) => a.text()));
    const reloads = count() - before;
    assert.ok(reloads >= 1 && reloads <= 50, `${reloads} reloads for 100 requests made at once`);
  });

  it('answers another method with 405 and Allow: POST', async () => {
    const res = await fetch(`${exporter.url}/-/reload`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });
});
