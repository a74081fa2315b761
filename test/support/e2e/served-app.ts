/**
 * The app in browser mode as the end-to-end tests open it: `batchdesk serve` on a database,
 * Chromium at 1280 x 900 on its URL (token in the fragment), waiting for "engine ready". Page
 * errors and console errors are collected; `close` stops both and fails the test on any.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser';
import { ensureFreshRenderer } from './fresh-renderer';
import { startServe, type ServeProcess } from './serve-process';

export interface ServedApp {
  readonly serve: ServeProcess;
  readonly browser: Browser;
  readonly page: Page;
  /** Closes the browser, stops the server (exit 0 expected) and expects no page or console error. */
  close(): Promise<void>;
}

export async function openServedApp(dbPath: string, env: Record<string, string>): Promise<ServedApp> {
  ensureFreshRenderer();
  const serve = await startServe(dbPath, env);
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(serve.url);
  await page.waitForSelector('[data-testid=engine-status]:has-text("engine ready")');
  return {
    serve,
    browser,
    page,
    close: async () => {
      await browser.close();
      expect(await serve.stop()).toBe(0);
      expect(pageErrors).toEqual([]);
    },
  };
}
