import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** The one browser API used here (the package has no DOM typings). */
interface StyleWindow {
  getComputedStyle(el: unknown): { backgroundColor: string };
}

/** What the status page showed for one instance while it was watched. */
export interface PageFlip {
  /** Each backend verdict seen on the row, in order, without repeats (`healthy`, `unhealthy`…). */
  readonly verdicts: string[];
  /** The row's background while its backend was unhealthy. */
  readonly unhealthyRowColor: string | undefined;
  /** The state cell's text while unhealthy (`✕ backend unhealthy: status-503 ● collector up`). */
  readonly unhealthyStateText: string | undefined;
  /** The summary line while unhealthy. */
  readonly unhealthySummary: string | undefined;
}

/**
 * Opens the status page at `url` in headless Chromium and watches `instance`'s row as the page
 * redraws itself, until its backend verdict has been both healthy and unhealthy or `timeoutMs`
 * passes.
 */
export async function watchVerdictFlip(chromiumPath: string, url: string, instance: string, timeoutMs: number): Promise<PageFlip> {
  const profile = mkdtempSync(join(tmpdir(), 'muster-demo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const verdicts: string[] = [];
  let unhealthyRowColor: string | undefined;
  let unhealthyStateText: string | undefined;
  let unhealthySummary: string | undefined;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const row = `#instance-${instance}`;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(verdicts.includes('healthy') && verdicts.includes('unhealthy'))) {
      const verdict = await page.getAttribute(row, 'data-backend');
      if (verdict !== null && verdicts.at(-1) !== verdict) verdicts.push(verdict);
      if (verdict === 'unhealthy' && unhealthyRowColor === undefined) {
        unhealthyRowColor = await page.$eval(row, (el) => (globalThis as unknown as StyleWindow).getComputedStyle(el).backgroundColor);
        unhealthyStateText = (await page.textContent(`${row} td.state`))?.replace(/\s+/g, ' ').trim();
        unhealthySummary = (await page.textContent('#summary')) ?? undefined;
      }
      await page.waitForTimeout(250);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { verdicts, unhealthyRowColor, unhealthyStateText, unhealthySummary };
}
