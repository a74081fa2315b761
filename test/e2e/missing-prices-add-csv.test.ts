/**
 * "Add prices from CSV, followed by a retry of the affected dates" (SPEC.md e.8) in real
 * Chromium against `batchdesk serve`: a demo backfilled without AAPL's close of 2025-07-09
 * lists it missing; the user picks a CSV holding that close, imports it, follows "Retry these
 * dates" to the Run screen (range and retry mode filled in), previews the plan and starts; when
 * the run is over, the Missing prices screen has nothing left for that date.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, seedDemoDb } from '../support/demo-db';
import { artifactPath } from '../support/e2e/browser';
import { openServedApp, type ServedApp } from '../support/e2e/served-app';

const NOW = '2025-07-11T23:00:00Z';

let app: ServedApp;
let page: Page;
let close: number;

beforeAll(async () => {
  const dbPath = seedDemoDb(NOW);
  const db = new Database(dbPath);
  close = (db.prepare(`SELECT close FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`).get() as { close: number }).close;
  db.prepare(`DELETE FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`).run();
  db.close();
  expect((await runDemo(dbPath, NOW, { marketData: 'offline', guard: false })).exitCode).toBe(0);
  app = await openServedApp(dbPath, { BATCHDESK_NOW: NOW });
  page = app.page;
}, 180_000);

afterAll(async () => {
  await app?.close();
});

/** The Missing prices screen filtered to 2025-07-09: its rows' symbols, once loaded. */
async function missingOn0709(): Promise<string[]> {
  await page.click('[data-testid=nav-missing]');
  await page.waitForSelector('[data-testid=screen-missing]');
  await page.fill('[data-testid=missing-from]', '2025-07-09');
  await page.fill('[data-testid=missing-to]', '2025-07-09');
  await page.click('[data-testid=missing-apply]');
  await page.waitForSelector('[data-testid=missing-count]');
  return page.locator('[data-testid=missing-table] strong').allTextContents();
}

describe('add prices from CSV, then retry, end to end', () => {
  it('imports the missing close, retries the dates it made stale, and the price is no longer missing', async () => {
    expect(await missingOn0709()).toEqual(['AAPL']);
    await page.setInputFiles('[data-testid=add-prices-file]', { name: 'fill.csv', mimeType: 'text/csv', buffer: Buffer.from(`symbol,date,close\nAAPL,2025-07-09,${close}\n`) });
    await page.click('[data-testid=add-prices-import]');
    const stale = await page.waitForSelector('[data-testid=add-prices-stale]');
    expect(await page.textContent('[data-testid=add-prices-result] [role=status]')).toContain('fill.csv: 1 row (1 symbol). Added 1');
    expect(await stale.textContent()).toContain('3 processed dates from 2025-07-09 to 2025-07-11 read closes this import changed.');
    await page.screenshot({ path: artifactPath('missing-prices-add-csv.png'), fullPage: true });

    await page.click('[data-testid=add-prices-retry]');
    await page.waitForSelector('[data-testid=screen-run]');
    expect(await page.inputValue('[data-testid=run-start-date]')).toBe('2025-07-09');
    expect(await page.inputValue('[data-testid=run-end-date]')).toBe('2025-07-11');
    expect(await page.getByLabel(/retry failed phases only/).isChecked()).toBe(true);
    await page.click('[data-testid=run-preview]');
    await page.waitForSelector('[data-testid=plan-preview]');
    expect(await page.textContent('[data-testid=plan-span]')).toBe('2025-07-09 .. 2025-07-11');
    expect(await page.textContent('[data-testid=plan-preview]')).toContain('mode retry');
    await page.click('[data-testid=run-start]');
    await page.waitForSelector('[data-testid=screen-live]');
    await page.waitForFunction(() => document.querySelector('[data-testid=header-run]')?.getAttribute('data-state') === 'completed', undefined, { timeout: 120_000 });

    expect(await missingOn0709()).toEqual([]);
    expect(await page.textContent('[data-testid=screen-missing]')).toContain('No missing prices');
  });
});
