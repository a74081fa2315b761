/**
 * Tables of the Missing prices and Run screens in real Chromium, at 1280 and 900 px, against
 * `batchdesk serve` on a demo database (no run) with closes flagged as jumps and a gap of AAPL
 * closes in the cache:
 *   - the Suspect prices table cuts no cell (the previous close and its date have columns of their
 *     own, as wide as their values); where the window is too narrow for it, it scrolls sideways
 *     in its own box, never the page;
 *   - the Missing prices table (rows of missing prices with long details) cuts no cell: its
 *     Detail column wraps its text onto more lines, each row as tall as its text, rather than
 *     cutting it at 1280 px ("cache: last cl..."); at 900 px the table scrolls in its own box;
 *   - the Run screen's fetch plan (offline, in chunks, every chunk listing the gap) keeps each
 *     date range on one line, in the chunks' headings and in the ranges under them;
 *   - a table whose box hides rows (16 wrapped rows) says under it which rows show and that it
 *     scrolls, down and (at 900 px) sideways: headless Chromium, like an overlay scroll bar,
 *     draws no scroll bar.
 * Screenshots go to test-artifacts/e2e/ (gitignored).
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { seedDemoDb } from '../support/demo-db';
import { artifactPath } from '../support/e2e/browser';
import { openServedApp, type ServedApp } from '../support/e2e/served-app';

let app: ServedApp;
let page: Page;
let dbPath: string;

beforeAll(async () => {
  dbPath = seedDemoDb(SHORT_NOW);
  const db = new Database(dbPath);
  // Jumps of large closes (the widest figures), with a previous close each.
  db.prepare(`UPDATE market_data_cache SET validation_flag = 'jump', close = close * 3 WHERE symbol IN ('BRK-B', 'SPY', 'AAPL') AND date IN ('2025-07-01', '2025-07-02')`).run();
  db.prepare(`DELETE FROM market_data_cache WHERE symbol = 'AAPL' AND date BETWEEN '2025-03-03' AND '2025-03-14'`).run();
  // Missing prices on two processed dates before the demo's entry date (so no plan below changes), with long details.
  const at = '2025-07-15T23:00:00.000Z';
  for (const d of ['2025-06-26', '2025-06-27']) db.prepare(`INSERT INTO batch_run_tracking (id, run_date, created_at, completed_at, status) VALUES (?, ?, ?, ?, 'success')`).run(`e2e-${d}`, d, at, at);
  const missing = db.prepare(
    `INSERT INTO missing_prices (price_date, symbol, reason, resolution, fallback_price_date, last_known_price_date, provider, detail, positions_affected, portfolios_affected, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2, 1, ?)`,
  );
  missing.run('2025-06-27', 'AAPL', 'no_data', 'fallback', '2025-06-25', '2025-06-25', 'cache', 'last close 2025-06-25', at);
  missing.run('2025-06-27', 'ZM', 'stale_beyond_fallback', 'missing', null, null, 'cache', 'no close on or before this date in the cache', at);
  missing.run('2025-06-26', 'MSFT', 'provider_error', 'missing', null, '2025-06-20', 'yahoo', 'HTTP 503 Service Unavailable after 3 retries; the circuit opened after repeated errors', at);
  db.close();
  app = await openServedApp(dbPath, { BATCHDESK_NOW: SHORT_NOW });
  page = app.page;
}, 180_000);

afterAll(async () => {
  await app?.close();
});

async function nav(screen: string): Promise<void> {
  await page.click(`[data-testid=nav-${screen}]`);
  await page.waitForSelector(`[data-testid=screen-${screen}]`);
}

describe('the Suspect prices table', () => {
  for (const width of [1280, 900]) {
    it(`at ${width} px cuts no cell, and scrolls in its own box where it does not fit, never the page`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      await nav('missing');
      await page.waitForSelector('[data-testid=suspect-table] .table-row');
      const t = await page.evaluate(() => {
        const table = document.querySelector<HTMLElement>('[data-testid=suspect-table]')!;
        const box = table.querySelector<HTMLElement>('.table-body')!;
        const cells = [...table.querySelectorAll<HTMLElement>('[role=columnheader], [role=gridcell]')];
        return {
          headings: [...table.querySelectorAll('[role=columnheader]')].map((h) => h.textContent),
          cut: cells.filter((c) => c.scrollWidth > c.clientWidth || c.scrollHeight > c.clientHeight).map((c) => c.textContent),
          page: document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
          box: { scroll: box.scrollWidth, client: box.clientWidth, overflow: getComputedStyle(box).overflowX },
        };
      });
      await page.screenshot({ path: artifactPath(`suspect-prices-${width}.png`), fullPage: true });
      expect(t.headings).toEqual(['Date', 'Symbol', 'Close', 'Previous close', 'Previous date', 'Change', 'Source']);
      expect(t.cut).toEqual([]);
      expect(t.page).toBeLessThanOrEqual(0);
      expect(t.box.overflow).toBe('auto');
      if (t.box.scroll > t.box.client) expect(width).toBe(900);
    });
  }
});

describe('the Missing prices table', () => {
  for (const width of [1280, 900]) {
    it(`at ${width} px shows every detail whole, on more lines, cuts no cell, and scrolls in its own box where it does not fit`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      await nav('missing');
      await page.waitForSelector('[data-testid=missing-table] .table-row');
      const t = await page.evaluate(() => {
        const table = document.querySelector<HTMLElement>('[data-testid=missing-table]')!;
        const box = table.querySelector<HTMLElement>('.table-body')!;
        const rows = [...table.querySelectorAll<HTMLElement>('.table-row')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        const cells = [...table.querySelectorAll<HTMLElement>('[role=columnheader], [role=gridcell]')];
        const rects = rows.map((r) => r.getBoundingClientRect());
        return {
          details: rows.map((r) => r.querySelectorAll('[role=gridcell]')[9]!.textContent),
          detailLines: rows.map((r) => {
            const range = document.createRange();
            range.selectNodeContents(r.querySelectorAll('[role=gridcell]')[9]!);
            return new Set([...range.getClientRects()].map((x) => Math.round(x.top))).size;
          }),
          cut: cells.filter((c) => c.scrollWidth > c.clientWidth || c.scrollHeight > c.clientHeight).map((c) => c.textContent),
          // Each row ends where the next one begins, or above: no row is drawn over another.
          overlaps: rects.slice(1).filter((r, i) => r.top < rects[i]!.bottom - 1).length,
          inBox: rects.every((r) => r.bottom <= box.getBoundingClientRect().bottom + 1),
          page: document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
          box: { scroll: box.scrollWidth, client: box.clientWidth, overflow: getComputedStyle(box).overflowX },
        };
      });
      await page.screenshot({ path: artifactPath(`missing-prices-${width}.png`), fullPage: true });
      expect(t.details).toEqual(['cache: last close 2025-06-25', 'cache: no close on or before this date in the cache', 'yahoo: HTTP 503 Service Unavailable after 3 retries; the circuit opened after repeated errors']);
      expect(t.cut).toEqual([]);
      expect(Math.max(...t.detailLines)).toBeGreaterThan(1);
      expect(t.overlaps).toBe(0);
      expect(t.inBox).toBe(true);
      expect(t.page).toBeLessThanOrEqual(0);
      expect(t.box.overflow).toBe('auto');
      if (t.box.scroll > t.box.client) expect(width).toBe(900);
      // Three rows fit the box: nothing is hidden down, so no hint but the sideways one at 900 px.
      const hint = await page.$('[data-testid=missing-table-hint]');
      expect(hint === null ? null : await hint.textContent()).toBe(width === 900 ? 'Scroll it sideways for more columns.' : null);
    });
  }
});

describe("the Run screen's fetch plan", () => {
  it('at 900 px keeps each date range and fetch mode on one line', async () => {
    await page.setViewportSize({ width: 900, height: 1000 });
    await nav('run');
    await page.getByLabel('Date range').check();
    // The demo's dates start on 2025-06-30.
    await page.fill('[data-testid=run-start-date]', '2025-06-30');
    await page.fill('[data-testid=run-end-date]', '2025-07-15');
    await page.getByLabel(/Chunk size/).fill('5');
    await page.getByLabel('Provider').selectOption('offline');
    await page.click('[data-testid=run-preview]');
    await page.waitForSelector('[data-testid=plan-preview]');
    await page.click('[data-testid=fetch-plan] summary');
    await page.waitForSelector('[data-testid=fetch-chunk-3]');
    // The lines its text takes: the distinct tops of the boxes of its text.
    const texts = await page.$$eval('[data-testid=fetch-plan] tbody .one-line', (els) =>
      els.map((e) => {
        const range = document.createRange();
        range.selectNodeContents(e);
        return { text: e.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
      }),
    );
    await page.screenshot({ path: artifactPath('run-fetch-plan-900.png'), fullPage: true });
    // Per chunk its heading, its dates, its fetch mode ("gap fill") and the gap under it.
    expect(texts.filter((s) => s.text === '2025-03-03 .. 2025-03-14').length).toBe(texts.length / 4);
    expect(texts.filter((s) => s.text === 'gap fill').length).toBe(texts.length / 4);
    expect(texts.length).toBeGreaterThanOrEqual(9);
    expect(texts.filter((s) => s.lines !== 1)).toEqual([]);
    expect(await page.textContent('[data-testid=fetch-plan] p')).toContain('1 range(s) missing from the cache (10 trading days)');
  });
});

describe('a table whose box hides rows', () => {
  const DAY = '2025-06-24';
  beforeAll(() => {
    // Sixteen missing prices on one more processed date, each with a detail long enough to wrap.
    const db = new Database(dbPath);
    const at = '2025-07-15T23:00:00.000Z';
    db.prepare(`INSERT INTO batch_run_tracking (id, run_date, created_at, completed_at, status) VALUES (?, ?, ?, ?, 'success')`).run(`e2e-${DAY}`, DAY, at, at);
    const missing = db.prepare(
      `INSERT INTO missing_prices (price_date, symbol, reason, resolution, fallback_price_date, last_known_price_date, provider, detail, positions_affected, portfolios_affected, recorded_at) VALUES (?, ?, 'provider_error', 'missing', NULL, '2025-06-20', 'yahoo', 'HTTP 503 Service Unavailable after 3 retries; the circuit opened after repeated errors', 1, 1, ?)`,
    );
    for (let i = 0; i < 16; i++) missing.run(DAY, `SYM${String(i).padStart(2, '0')}`, at);
    db.close();
  });

  async function showDay(width: number): Promise<void> {
    await page.setViewportSize({ width, height: 1000 });
    await nav('missing');
    await page.fill('[data-testid=missing-from]', DAY);
    await page.fill('[data-testid=missing-to]', DAY);
    await page.click('[data-testid=missing-apply]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=missing-table] .table-row').length >= 10);
  }

  /** The hint under the table, and the rows wholly inside the box below its heading row. */
  const read = () =>
    page.evaluate(() => {
      const table = document.querySelector<HTMLElement>('[data-testid=missing-table]')!;
      const box = table.querySelector<HTMLElement>('.table-body')!.getBoundingClientRect();
      const head = table.querySelector<HTMLElement>('.table-head')!.getBoundingClientRect();
      const whole = [...table.querySelectorAll<HTMLElement>('.table-row')]
        .filter((r) => r.getBoundingClientRect().top >= head.bottom - 1 && r.getBoundingClientRect().bottom <= box.bottom + 1)
        .map((r) => Number(r.getAttribute('aria-rowindex')) - 1)
        .sort((a, b) => a - b);
      return { hint: document.querySelector('[data-testid=missing-table-hint]')?.textContent ?? null, whole };
    });

  it('at 1280 px says which of its rows show and that it scrolls, at the top and at the bottom', async () => {
    await showDay(1280);
    await page.waitForSelector('[data-testid=missing-table-hint]');
    const top = await read();
    await page.screenshot({ path: artifactPath('missing-prices-hint-1280.png'), fullPage: true });
    expect(top.whole[0]).toBe(1);
    expect(top.whole.length).toBeLessThan(16);
    expect(top.hint).toBe(`Rows 1-${top.whole.at(-1)} of 16 shown: scroll the table for the rest.`);
    await page.$eval('[data-testid=missing-table] .table-body', (b) => b.scrollTo({ top: b.scrollHeight }));
    await page.waitForFunction(() => /of 16 shown/.test(document.querySelector('[data-testid=missing-table-hint]')?.textContent ?? '') && document.querySelector('[data-testid=missing-table-hint]')!.textContent!.includes('-16 of'));
    const bottom = await read();
    expect(bottom.whole.at(-1)).toBe(16);
    expect(bottom.hint).toBe(`Rows ${bottom.whole[0]}-16 of 16 shown: scroll the table for the rest.`);
  });

  it('at 900 px also says it scrolls sideways for more columns', async () => {
    await showDay(900);
    await page.$eval('[data-testid=missing-table] .table-body', (b) => b.scrollTo({ top: 0 }));
    await page.waitForFunction(() => /^Rows 1-/.test(document.querySelector('[data-testid=missing-table-hint]')?.textContent ?? ''));
    expect((await read()).hint).toMatch(/^Rows 1-\d+ of 16 shown: scroll the table for the rest\. Scroll it sideways for more columns\.$/);
  });
});
