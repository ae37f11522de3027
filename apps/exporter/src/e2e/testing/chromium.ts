import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** A headless Chromium with a fresh profile, and its first tab. */
export interface HeadlessChromium {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** The flags every test browser runs with: headless, no sandbox (tests may run as root), nothing fetched in the background. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the Chromium at `executablePath` (from `requireTool('chromium')`); `flags` go after the common ones. */
export async function launchChromium(
  executablePath: string,
  options: { flags?: readonly string[]; viewport?: { width: number; height: number } } = {},
): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'muster-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
      args: [...FLAGS, ...(options.flags ?? [])],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
