/**
 * End-to-end in real Chromium against `batchdesk serve` on a demo database with a short run
 * done (SHORT_NOW), for what the Live and Run screens and the navigation look like and do:
 *   - at 900 px the Live grid's date column and its heading stay at the left edge while the grid
 *     scrolls sideways, over the cells that pass under them;
 *   - at 900 px, during a run, the current date's table of portfolios scrolls sideways inside its
 *     own box, never the page; so do the tables of Data (backups), History (runs) and
 *     Reconciliation (results, marks), their headings over their cells;
 *   - every grid cell shows a symbol (ok ones too), named by the legend;
 *   - a cell's detail lists its metrics with labels and formatted values, the raw JSON folded away;
 *   - a reload keeps the screen shown (and its parameters), and the access token still works;
 *   - a token deleted by hand from the fragment comes back, and the tab that used it opens a URL
 *     without it (a reload then) still authorized; another tab without the token is refused;
 *   - Back and Forward move between the screens shown, and a fragment edited by hand opens the
 *     screen it names (Live for one the app does not have), the token kept; the focus goes to
 *     the heading of the screen shown, as after a click in the navigation;
 *   - while another process holds the file for a run, the Run screen says so, with why Start is
 *     off, and leads to Live.
 * Screenshots at 1280 and 900 px go to test-artifacts/e2e/ (gitignored).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { REPO_ROOT } from '../support/cli';
import { runDemo, seedDemoDb } from '../support/demo-db';
import { artifactPath, launchChromium } from '../support/e2e/browser';
import { ensureFreshRenderer } from '../support/e2e/fresh-renderer';
import { startServe, type ServeProcess } from '../support/e2e/serve-process';

const DATE = '2025-07-10';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let dbPath = '';
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true });
}

async function nav(screen: string): Promise<void> {
  await page.click(`[data-testid=nav-${screen}]`);
  await page.waitForSelector(`[data-testid=screen-${screen}]`);
}

/** Loads the page afresh at `width` px, on Live with the tracked dates in the grid. */
async function open(width: number): Promise<void> {
  await page.setViewportSize({ width, height: 1000 });
  // From another page: going to the URL from the app's page only changes the fragment, which loads nothing.
  await page.goto('about:blank');
  await page.goto(serve.url);
  await page.waitForSelector('[data-testid=phase-grid] [data-date]');
}

/** A child process holding the run lock of the database, as a CLI run does, until killed. */
async function holdLock(): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/hold-lock.ts'), dbPath], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  expect(await new Promise<string>((resolve) => holder.stdout!.once('data', (d: Buffer) => resolve(d.toString())))).toMatch(/^locked \d+/);
  return holder;
}

async function release(holder: ChildProcess): Promise<void> {
  const exited = new Promise((r) => holder.once('exit', r));
  holder.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  ensureFreshRenderer();
  dbPath = seedDemoDb(SHORT_NOW);
  await runDemo(dbPath, SHORT_NOW);
  serve = await startServe(dbPath, { BATCHDESK_NOW: SHORT_NOW });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  expect(code).toBe(0);
});

describe('the Live screen', () => {
  it('at 900 px keeps the date column and its heading at the left edge while the grid scrolls sideways', async () => {
    await open(900);
    const boxes = () =>
      page.evaluate((d) => {
        const body = document.querySelector<HTMLElement>('.grid-body')!;
        const date = document.querySelector<HTMLElement>(`[data-date="${d}"] [role=rowheader]`)!;
        const heading = document.querySelector<HTMLElement>('.grid-head [role=columnheader]')!;
        const market = document.querySelector<HTMLElement>(`[data-testid=cell-${d}-market_data]`)!;
        const r = date.getBoundingClientRect();
        // What is drawn at the middle of the date cell and of its heading: the date and the heading, not a cell under them.
        const atDate = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
        const h = heading.getBoundingClientRect();
        const atHeading = document.elementFromPoint(h.left + 20, h.top + h.height / 2);
        return {
          scrollable: body.scrollWidth - body.clientWidth,
          scrollLeft: body.scrollLeft,
          bodyLeft: body.getBoundingClientRect().left,
          dateLeft: r.left,
          headingLeft: h.left,
          marketLeft: market.getBoundingClientRect().left,
          dateOnTop: atDate !== null && date.contains(atDate),
          headingOnTop: atHeading !== null && heading.contains(atHeading),
          headingText: heading.textContent,
        };
      }, DATE);
    const before = await boxes();
    expect(before.scrollable).toBeGreaterThan(50); // the grid is wider than the window: it scrolls sideways
    await page.evaluate(() => {
      const body = document.querySelector<HTMLElement>('.grid-body')!;
      body.scrollLeft = body.scrollWidth;
    });
    // A frame later: the scroll events are handled.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const after = await boxes();
    expect(after.scrollLeft).toBeGreaterThan(50);
    expect(after.marketLeft).toBeLessThan(before.marketLeft - 50); // the cells moved...
    expect(after.dateLeft).toBeCloseTo(after.bodyLeft, 0); // ...the date column did not
    expect(after.headingLeft).toBeCloseTo(after.bodyLeft, 0);
    expect(after.headingText).toBe('Date');
    expect(after.dateOnTop).toBe(true);
    expect(after.headingOnTop).toBe(true);
    await shot('live-grid-900-scrolled');
  });

  it('shows a symbol in every cell, ok ones included, and a legend naming each', async () => {
    await open(1280);
    const marks = await page.$$eval('[data-testid=phase-grid] button.cell', (cells) => cells.map((c) => `${c.getAttribute('data-status')}:${c.textContent}`));
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks)).toEqual(new Set(['ok:\u2713']));
    const legend = await page.$$eval('[data-testid=grid-legend] li', (items) => items.map((li) => li.textContent));
    expect(legend).toEqual(['\u2713 ok', '~ warning (partial, stale)', '! failed', '... running', '\u25CB pending', '- skipped or not run']);
    expect(await page.isVisible('[data-testid=grid-legend]')).toBe(true);
  });

  for (const width of [1280, 900]) {
    it(`at ${width} px lists a cell's metrics with labels and formatted values, the raw JSON folded away`, async () => {
      await open(width);
      await page.click(`[data-testid=cell-${DATE}-snapshots]`);
      await page.waitForSelector('[data-testid=cell-detail][data-loaded=true]');
      const details = page.locator('[data-testid=cell-detail] details:not(.raw-json)').first();
      await details.locator(':scope > summary').click();
      const metrics = await details.locator(':scope > dl.metrics > div').evaluateAll((divs) => Object.fromEntries(divs.map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent])));
      expect(Object.keys(metrics)).toContain('NAV');
      expect(metrics['NAV']).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
      expect(metrics['Daily return']).toMatch(/^-?\d+\.\d{2}%$/);
      expect(metrics['Cash negative']).toMatch(/^(yes|no)$/);
      expect(Object.values(metrics).join(' ')).not.toMatch(/[{}"]/);
      const raw = details.locator(':scope > [data-testid=metrics-raw]');
      expect(await raw.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await shot(`live-cell-metrics-${width}`);
      await raw.locator('summary').click();
      expect(JSON.parse((await raw.locator('pre').textContent())!)).toHaveProperty('nav');
      // A date phase: its price coverage said once, above its other metrics.
      await page.click(`[data-testid=cell-${DATE}-market_data]`);
      await page.waitForSelector('[data-testid=cell-detail][data-loaded=true]');
      expect(await page.textContent('[data-testid=cell-detail] [data-testid=price-coverage]')).toContain('100% exact, 100% usable');
      await shot(`live-cell-market-data-${width}`);
    });
  }
});

describe('the current date during a run', () => {
  it('at 900 px its table of portfolios scrolls inside its own box: the page never scrolls sideways', async () => {
    await open(900);
    await nav('run');
    await page.getByLabel('Date range').check();
    await page.fill('[data-testid=run-start-date]', '2025-06-30');
    await page.fill('[data-testid=run-end-date]', '2025-07-15');
    await page.click('[data-testid=run-preview]');
    await page.waitForSelector('[data-testid=plan-preview]');
    await page.click('[data-testid=run-start]');
    await page.waitForSelector('[data-testid=screen-live]');
    // Measured the moment the table has a row (it is there while the run is).
    const widths = (await (
      await page.waitForFunction(
        () => {
          const table = document.querySelector<HTMLElement>('[data-testid=current-date] table');
          if (!table?.querySelector('tbody tr')) return null;
          const page = document.scrollingElement!;
          const box = table.parentElement!;
          return { pageScroll: page.scrollWidth, pageClient: page.clientWidth, table: table.getBoundingClientRect().width, boxScroll: box.scrollWidth, boxClient: box.clientWidth, boxOverflow: getComputedStyle(box).overflowX };
        },
        undefined,
        { timeout: 60_000 },
      )
    ).jsonValue())!;
    await shot('live-current-date-900');
    expect(widths.pageScroll).toBeLessThanOrEqual(widths.pageClient);
    // The table is wider than the room it gets: its own box scrolls it.
    expect(widths.table).toBeGreaterThan(widths.boxClient);
    expect(widths.boxScroll).toBeGreaterThan(widths.boxClient);
    expect(widths.boxOverflow).toBe('auto');
    await page.waitForFunction(() => ['completed', 'partial', 'failed'].includes(document.querySelector('[data-testid=header-run]')?.getAttribute('data-state') ?? ''), undefined, { timeout: 120_000 });
  });
});

/**
 * How a table sits in a 900 px window: the page's sideways overflow, its scroll box's, and, for
 * the virtualized tables (role=grid), each heading's edges against its first row's cell's, with
 * the box scrolled to the far right as well; the last heading is inside the table's frame.
 */
async function tableAt900(table: string): Promise<{ page: number; box: { scroll: number; client: number; overflow: string }; misaligned: string[]; lastHeadingInFrame: boolean }> {
  return page.evaluate(async (selector) => {
    const el = document.querySelector<HTMLElement>(selector)!;
    const grid = el.getAttribute('role') === 'grid';
    const box = grid ? el.querySelector<HTMLElement>('.table-body')! : el.closest<HTMLElement>('.table-scroll')!;
    const misaligned: string[] = [];
    const compare = () => {
      if (!grid) return;
      const heads = [...el.querySelectorAll<HTMLElement>('[role=columnheader]')];
      const cells = [...el.querySelectorAll<HTMLElement>('[role=row][aria-rowindex="2"] [role=gridcell]')];
      heads.forEach((h, i) => {
        const a = h.getBoundingClientRect();
        const b = cells[i]!.getBoundingClientRect();
        if (Math.abs(a.left - b.left) > 1 || Math.abs(a.right - b.right) > 1) misaligned.push(`${h.textContent} at scrollLeft ${box.scrollLeft}`);
      });
    };
    compare();
    box.scrollLeft = box.scrollWidth;
    await new Promise((r) => requestAnimationFrame(r));
    compare();
    const frame = el.getBoundingClientRect();
    const last = [...el.querySelectorAll<HTMLElement>('th, [role=columnheader]')].at(-1)!.getBoundingClientRect();
    const result = {
      page: document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
      box: { scroll: box.scrollWidth, client: box.clientWidth, overflow: getComputedStyle(box).overflowX },
      misaligned,
      lastHeadingInFrame: last.right <= Math.min(frame.right, box.getBoundingClientRect().right) + 1,
    };
    box.scrollLeft = 0;
    return result;
  }, table);
}

/** The table fits the 900 px window: the page does not scroll sideways; a table wider than its room does, in its own box, its headings over their cells. */
async function expectTableFits(table: string, screenshot: string): Promise<void> {
  const t = await tableAt900(table);
  await shot(screenshot);
  expect(t.page, `${table}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  expect(t.box.overflow).toBe('auto');
  expect(t.misaligned).toEqual([]);
  expect(t.lastHeadingInFrame).toBe(true);
}

describe('the tables at 900 px', () => {
  it('Data, History and Reconciliation: each table fits or scrolls sideways in its own box (overflow auto), its headings over their cells; the page never does', async () => {
    await open(900);
    await nav('data');
    await page.click('[data-testid=backup-now]');
    await page.waitForSelector('[data-testid=backup-message]:has-text("verified")', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=backups-table] tbody tr');
    await expectTableFits('[data-testid=backups-table]', 'data-backups-900');

    await nav('history');
    await page.waitForSelector('[data-testid=runs-table] .table-row');
    await expectTableFits('[data-testid=runs-table]', 'history-runs-900');

    await nav('reconciliation');
    await page.waitForSelector('[data-testid=recon-table] .table-row');
    await page.click('[data-testid=recon-table] .table-row');
    await page.waitForSelector('[data-testid=recon-marks] .table-row');
    await expectTableFits('[data-testid=recon-table]', 'reconciliation-900');
    await expectTableFits('[data-testid=recon-marks]', 'reconciliation-marks-900');
  });
});

describe('navigation', () => {
  it('Back and Forward move between the screens shown, and a fragment edited by hand opens the screen it names, the token kept; the focus goes to its heading', async () => {
    await open(1280);
    const shown = async (screen: string) => {
      await page.waitForSelector(`main[data-screen=${screen}]`);
      expect(new URL(page.url()).hash).toBe(`#token=${serve.token}&screen=${screen}`);
    };
    // As a click in the navigation moves the focus to the new screen's heading, so do Back, Forward and an edited fragment.
    const headingFocused = (screen: string) =>
      page.waitForFunction((s) => {
        const a = document.activeElement as HTMLElement | null;
        return a?.tagName === 'H1' && a.checkVisibility() && a.closest(`[data-testid=screen-${s}]`) !== null;
      }, screen);
    await shown('live');
    await nav('history');
    await nav('data');
    await headingFocused('data');
    await page.goBack();
    await shown('history');
    await headingFocused('history');
    await page.goBack();
    await shown('live');
    await headingFocused('live');
    await page.goForward();
    await shown('history');
    await headingFocused('history');
    // An edited fragment opens its screen, and Back returns from it.
    await page.evaluate((token) => (window.location.hash = `#token=${token}&screen=missing`), serve.token);
    await shown('missing');
    await headingFocused('missing');
    await page.waitForSelector('[data-testid=missing-count]');
    // One naming no screen of the app opens Live, the token kept; the commands still work.
    await page.evaluate((token) => (window.location.hash = `#token=${token}&screen=nowhere`), serve.token);
    await shown('live');
    await page.goBack();
    await shown('missing');
    await page.goBack();
    await shown('history');
    await page.waitForSelector('[data-testid=runs-table] .table-row');
  });


  it('a reload opens the screen shown, with its parameters, and the access token still works', async () => {
    await open(1280);
    await nav('history');
    const url = new URL(page.url());
    expect(url.hash).toBe(`#token=${serve.token}&screen=history`);
    await page.reload();
    await page.waitForSelector('[data-testid=screen-history]');
    expect(await page.getAttribute('main', 'data-screen')).toBe('history');
    // The commands are still authorized: the history's runs load.
    await page.waitForSelector('[data-testid=runs-table] .table-row');
    // A screen opened with parameters (a cell's "Debug this date") comes back with them.
    await nav('live');
    await page.click(`[data-testid=cell-${DATE}-marks]`);
    await page.click('[data-testid=cell-detail] button:has-text("Debug this date")');
    await page.waitForSelector('[data-testid=screen-debug]');
    expect(new URL(page.url()).hash).toBe(`#token=${serve.token}&screen=debug&date=${DATE}&phase=marks`);
    await page.reload();
    await page.waitForSelector('[data-testid=screen-debug]');
    expect(await page.inputValue('[data-testid=debug-date]')).toBe(DATE);
    await page.waitForSelector('[data-testid=engine-status]:has-text("engine ready")');
  });
});

describe('the access token', () => {
  it('deleted by hand from the fragment comes back; the tab that used it reloads a URL without it, another tab is refused', async () => {
    await open(1280);
    await nav('history');
    await page.evaluate(() => (window.location.hash = '#screen=history'));
    await page.waitForFunction((t) => window.location.hash === `#token=${t}&screen=history`, serve.token);
    // A URL without the token loaded afresh in this tab: the token it kept authorizes it, and the fragment has it again.
    await page.goto('about:blank');
    await page.goto(`${serve.origin}/#screen=history`);
    await page.waitForSelector('[data-testid=runs-table] .table-row');
    expect(new URL(page.url()).hash).toBe(`#token=${serve.token}&screen=history`);
    // The token is this tab's only.
    const other = await page.context().newPage();
    try {
      await other.goto(`${serve.origin}/#screen=history`);
      expect(await (await other.waitForSelector('[data-testid=token-problem]')).textContent()).toMatch(/^This page needs the access token\./);
    } finally {
      await other.close();
    }
  });

  it('a wrong token says so at once, instead of an app with empty views', async () => {
    await page.goto('about:blank');
    await page.goto(serve.url.replace(`token=${serve.token}`, 'token=not-the-token'));
    const problem = await page.waitForSelector('[data-testid=token-problem]');
    expect(await problem.textContent()).toMatch(/^The access token in this URL is not the one this server expects\. Open the full URL that batchdesk serve printed/);
    expect(await page.$('[data-testid=screen-live]')).toBeNull();
  });
});

describe('the Run screen', () => {
  it('says a run of another process is in progress, why Start is off, and leads to Live', async () => {
    const holder = await holdLock();
    try {
      for (const width of [1280, 900]) {
        await open(width);
        await nav('run');
        // The live store looks for a run of another process every 5 s.
        await page.waitForSelector('[data-testid=active-run][data-source=other]', { timeout: 20_000 });
        expect(await page.textContent('[data-testid=active-run-title]')).toContain(`started by the CLI (pid ${holder.pid} on`);
        expect(await page.textContent('[data-testid=active-run-reason]')).toContain('Start and Resume are off until it ends');
        await page.getByLabel('Single date').check();
        await page.fill('[data-testid=run-target-date]', DATE);
        await page.click('[data-testid=run-preview]');
        await page.waitForSelector('[data-testid=plan-preview]');
        expect(await page.isDisabled('[data-testid=run-start]')).toBe(true);
        expect((await page.getAttribute('[data-testid=run-start]', 'aria-describedby'))?.split(' ')).toContain('run-start-busy');
        await shot(`run-other-process-${width}`);
      }
      await page.click('[data-testid=active-run-live]');
      await page.waitForSelector('[data-testid=screen-live] [data-testid=other-run]');
      expect(await page.getAttribute('main', 'data-screen')).toBe('live');
    } finally {
      await release(holder);
    }
    // Once the file is free, the notice goes.
    await nav('run');
    await page.waitForSelector('[data-testid=active-run]', { state: 'detached', timeout: 20_000 });
  });
});

describe('the page', () => {
  it('raised no page errors', () => {
    // Failed requests are expected (a refused command); script errors are not.
    expect(pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
