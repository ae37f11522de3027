import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireTool } from '@muster/testing';
import type { Page } from 'playwright-core';
import { VERSION } from '../version.js';
import { type HeadlessChromium, launchChromium } from './testing/chromium.js';
import { writeConfig } from './testing/config-file.js';
import { type Exporter, startExporter } from './testing/exporter-process.js';
import { type TestServer, testServer } from './testing/http-backend.js';
import { FIXTURES, REPO_ROOT } from './testing/paths.js';

/** Where the screenshots go (gitignored), for a person to look at after the run. */
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const SECRET = 'tok-s3cr3t-status-page';


/** WCAG contrast ratio of two `rgb(…)`/`rgba(…)` colors. */
function contrast(fg: string, bg: string): number {
  const lum = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

/** Text color and effective background color of the first element matching each selector. */
async function colors(page: Page, selectors: readonly string[]): Promise<{ selector: string; fg: string; bg: string }[]> {
  return page.evaluate((list) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const style = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } }).getComputedStyle(el);
    return list.map((selector) => {
      let el = doc.querySelector(selector) as { parentElement: unknown } | null;
      if (el === null) return { selector, fg: 'missing', bg: 'missing' };
      const fg = style(el).color;
      let bg = 'rgb(255, 255, 255)';
      while (el !== null) {
        const b = style(el).backgroundColor;
        if (b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') {
          bg = b;
          break;
        }
        el = el.parentElement as { parentElement: unknown } | null;
      }
      return { selector, fg, bg };
    });
  }, selectors);
}

describe('the status page in a real browser', { timeout: 120_000 }, () => {
  const browser = requireTool('chromium');
  let backend: TestServer;
  let exporter: Exporter;
  let chrome: HeadlessChromium | undefined;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  before(async () => {
    if ('skip' in browser) return;
    backend = await testServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"apples": 3, "pears": 5}');
    });
    const config = writeConfig(`plugins:
  - name: items
    use: ${join(FIXTURES, 'items.mjs')}
    schedule: 400ms
    timeout: 300ms
    labels: { team: web }
    config: { url: "${backend.url}/items?token=\${file:./token}" }
  - name: host
    use: system
    schedule: 1s
    timeout: 500ms
  - name: lazy
    use: system
    schedule: on-scrape
`);
    writeFileSync(join(dirname(config), 'token'), `${SECRET}\n`);
    exporter = await startExporter(config);
    chrome = await launchChromium(browser.path, { viewport: { width: 1400, height: 700 }, flags: ['--disable-quic'] });
    page = chrome.page;
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    if ('skip' in browser) return;
    await chrome?.close();
    if (exporter?.process.exitCode === null) await exporter.stop();
    await backend?.stop().catch(() => undefined);
  });

  it('shows one row per instance, with its state, schedule, labels, recent cycles and a link to its series', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    await page.goto(`${exporter.url}/`);
    await page.waitForSelector('body[data-live="true"]');
    await page.waitForSelector('#instance-items[data-state="up"]', { timeout: 10_000 });
    await page.waitForSelector('#instance-host[data-state="up"]', { timeout: 10_000 });

    assert.equal(await page.title(), 'muster status');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match((await page.textContent('caption')) ?? '', /Configured instances/);
    const columns = await page.$$eval('thead th', (ths) => ths.map((th) => [th.getAttribute('scope'), th.textContent]));
    assert.ok(columns.every(([scope]) => scope === 'col'));
    assert.deepEqual(
      columns.map(([, text]) => text),
      ['Instance', 'Labels', 'Plugin', 'Schedule', 'State', 'Failure reason', 'Last cycle', 'Duration', 'Next run', 'Series', 'Last 30 cycles', 'Exposition'],
    );
    const rows = await page.$$eval('tbody tr', (trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('th[scope="row"]')?.textContent,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()),
        link: tr.querySelector('a')?.getAttribute('href'),
      })),
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      ['items', 'host', 'lazy'],
    );
    const [items, host, lazy] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    assert.equal(items.cells[0], 'team=web');
    assert.equal(items.cells[1], 'fixture-items');
    assert.equal(items.cells[2], '400ms');
    assert.match(items.cells[3] ?? '', /up/);
    assert.match(items.cells[5] ?? '', /\d\d:\d\d:\d\d\s+\d+s ago/);
    assert.match(items.cells[6] ?? '', /ms$/);
    assert.equal(items.cells[8], '2', 'two series: apples and pears');
    assert.equal(items.link, '/metrics?collector=items');
    assert.equal(host.cells[1], 'system');
    assert.match(lazy.cells[3] ?? '', /pending\s+runs when scraped/);
    assert.equal(lazy.cells[7], 'on scrape');
    // A 300 ms deadline may be missed now and then on a busy machine: the chart counts both kinds.
    assert.match((await page.getAttribute('#instance-items svg.chart', 'aria-label')) ?? '', /^Last \d+ cycles?: [1-9]\d* succeeded, \d+ failed/);

    const facts = (await page.textContent('#facts')) ?? '';
    assert.ok(facts.includes(`muster ${VERSION}`), facts);
    assert.match(facts, /Uptime\s*\d+s/);
    assert.ok(facts.includes('muster.yaml'), facts);

    // The link leads to that instance's own slice of the exposition.
    const slice = await (await fetch(`${exporter.url}/metrics?collector=items`)).text();
    assert.match(slice, /^fixture_item_value\{collector="items",team="web",item="apples"\} 3$/m);
  });

  it('turns an instance red when its backend dies, without a reload, and back when it returns', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await backend.stop();
    await page.waitForSelector('#instance-items[data-state="down"]', { timeout: 10_000 });
    const state = (await page.textContent('#instance-items td.state')) ?? '';
    assert.match(state, /✕ collector down/);
    assert.match((await page.textContent('#instance-items td.reason')) ?? '', /^connection-refused(\s*\d+ failures in a row)?\s*connect ECONNREFUSED/);
    assert.match((await page.textContent('#summary')) ?? '', /3 instances, 1 up, 1 down, 1 pending/);
    const [badge] = await colors(page, ['#instance-items .badge']);
    assert.equal(badge?.bg, 'rgb(179, 38, 30)', 'the state badge turns red');
    assert.ok((await page.$$('#instance-items svg.chart rect.fail')).length >= 1, 'the chart shows the failed cycles');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded), true, 'redrawn in place, not reloaded');
    await page.screenshot({ path: join(ARTIFACTS, 'status-page-down.png'), fullPage: true });

    await backend.restart();
    await page.waitForSelector('#instance-items[data-state="up"]', { timeout: 10_000 });
    assert.match((await page.textContent('#instance-items td.state')) ?? '', /up/);
    assert.ok((await page.$$('#instance-items svg.chart rect.fail')).length >= 1, 'the failed cycles stay in the chart');
    assert.ok((await page.$$('#instance-items svg.chart rect.ok')).length >= 2);
    assert.match((await page.textContent('#summary')) ?? '', /2 up, 0 down/);
    await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });
  });

  it('is readable: text and state badges have a contrast of at least 4.5:1', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    // Show a down state again to measure it.
    await backend.stop();
    await page.waitForSelector('#instance-items[data-state="down"]', { timeout: 10_000 });
    const measured = await colors(page, [
      'body',
      'h1',
      'caption',
      'thead th',
      'tbody th',
      '#instance-host .badge',
      '#instance-items .badge',
      '#instance-lazy .badge',
      '#instance-items .error',
      '#instance-items .age',
      '.facts dt',
      '#updated',
      'a',
      '.legend',
    ]);
    for (const { selector, fg, bg } of measured) {
      assert.notEqual(fg, 'missing', `${selector} is on the page`);
      const ratio = contrast(fg, bg);
      assert.ok(ratio >= 4.5, `${selector}: ${fg} on ${bg} has contrast ${ratio.toFixed(2)}`);
    }
    await backend.restart();
  });

  it('loads nothing from outside the exporter, shows no secret, and logs one line per instance', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    assert.ok(requests.length > 3);
    for (const url of requests) assert.ok(url.startsWith(`${exporter.url}/`), `request to ${url}`);
    assert.ok(requests.some((u) => u.endsWith('/api/status')), 'the page polls /api/status');
    assert.deepEqual(problems, []);
    assert.ok(!(await page.content()).includes(SECRET));
    const api = await (await fetch(`${exporter.url}/api/status`)).text();
    assert.ok(!api.includes(SECRET) && !api.includes('token'), 'no config in /api/status');
    const output = exporter.output();
    assert.ok(!output.includes(SECRET));
    const lines = output.split('\n').filter((l) => l.includes('"instance configured"'));
    assert.equal(lines.length, 3);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.equal(first.collector, 'items');
    assert.equal(first.plugin, 'fixture-items');
    assert.equal(first.schedule, '400ms');
    assert.equal(first.timeoutMs, 300);
    assert.deepEqual(first.labels, { team: 'web' });
    assert.equal(first.config, undefined);
  });

  it('says so when the exporter goes away, and keeps the last state on screen', async (t) => {
    if ('skip' in browser) return t.skip(browser.skip);
    assert.equal(await exporter.stop(), 0);
    await page.waitForSelector('#offline:not([hidden])', { timeout: 10_000 });
    assert.match((await page.textContent('#offline')) ?? '', /Cannot reach the exporter/);
    assert.equal(await page.$$eval('tbody tr', (trs) => trs.length), 3);
    await page.screenshot({ path: join(ARTIFACTS, 'status-page-offline.png'), fullPage: true });
  });
});
