/**
 * The Analytics screen's stress-test chart in real Chromium (Debian's /usr/bin/chromium via
 * playwright-core): the option the screen builds (chart-options.ts barOption) drawn with the
 * app's ECharts build, on a page served with the app's Content-Security-Policy, with the 22
 * catalog scenarios, at the width the chart gets in a 1280 px and a 1920 px window and in the
 * narrowest column the layout allows. Every scenario name is drawn, inside the chart, and no
 * two labels overlap (the names' rows, the value axis's ticks); a name cut short ends in "..."
 * and hovering it shows the whole name. Hovering a bar shows its tooltip, the series name and
 * the value apart, with no inline style for the policy to refuse (no console error).
 * Screenshots go to test-artifacts/e2e/ (gitignored).
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../core/api/content-security-policy';
import { STRESS_CATALOG } from '../../core/data/stress-scenarios';
import type { DrawnChart, DrawnLabel, DrawnRun } from '../support/e2e/bar-chart-harness';
import { artifactPath, launchChromium } from '../support/e2e/browser';
import { bundleHarness } from '../support/e2e/bundle-harness';
import { REPO_ROOT } from '../support/e2e/serve-process';

/** The chart's width in the Analytics screen's two columns: in a 1280 px and a 1920 px window, and the column's least (styles.css .two-col). */
const WIDTHS = { '1280': 527, '1920': 848, narrowest: 380 } as const;

const NAMES = STRESS_CATALOG.scenarios.map((s) => s.name);
/** P&L of the size the demo portfolios get (-1.04M to +0.64M on the hedge-fund-like book), losses and gains. */
const VALUES = NAMES.map((_, i) => Math.round((i % 2 === 0 ? -1 : 0.62) * (1_038_534 - i * 41_000)));
/** The chart's height as the screen sizes it: a row per scenario. */
const HEIGHT = Math.max(220, NAMES.length * 22 + 60);

/** The harness page's origin: its page and script are answered by the test, the page with the app's CSP. */
const ORIGIN = 'http://harness.test';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const overlap = (a: DrawnLabel, b: DrawnLabel) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function draw(width: number): Promise<DrawnChart> {
  return page.evaluate(([w, h, names, values]) => (window as unknown as { drawBars: (...a: unknown[]) => DrawnChart }).drawBars(w, h, names, values), [width, HEIGHT, NAMES, VALUES] as const);
}

/** The tooltip shown, as drawn in the chart's canvas. */
async function tooltip(): Promise<DrawnRun[]> {
  return page.evaluate(() => (window as unknown as { drawnTooltip: () => DrawnRun[] }).drawnTooltip());
}

beforeAll(async () => {
  const script = await bundleHarness(resolve(REPO_ROOT, 'test/support/e2e/bar-chart-harness.ts'));
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1000, height: HEIGHT + 100 } })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // A style the policy refuses is a console error ("Applying inline style violates ... style-src 'self'").
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><html><head><link rel="stylesheet" href="/harness.css"><script src="/harness.js"></script></head><body></body></html>' },
    '/harness.css': { type: 'text/css; charset=utf-8', body: 'body { margin: 0; font-family: sans-serif; }' },
    // UTF-8: the script holds characters ECharts measures text with.
    '/harness.js': { type: 'text/javascript; charset=utf-8', body: script },
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file ? route.fulfill({ contentType: file.type, headers: { 'content-security-policy': CONTENT_SECURITY_POLICY }, body: file.body }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${ORIGIN}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  expect(pageErrors).toEqual([]);
});

describe('stress-test chart labels', () => {
  for (const [at, width] of Object.entries(WIDTHS)) {
    it(`at ${at} (${width} px): every scenario name is drawn inside the chart, and no two labels overlap`, async () => {
      const chart = await draw(width);
      await page.locator('#chart').screenshot({ path: artifactPath(`analytics-stress-labels-${at}.png`) });
      const names = chart.labels.filter((l) => l.name !== null);
      const values = chart.labels.filter((l) => l.name === null);
      expect(names.map((l) => l.name).sort()).toEqual([...NAMES].sort());
      expect(values.length).toBeGreaterThanOrEqual(3);
      for (const l of chart.labels) {
        expect(l.x, `${l.text} starts inside the chart`).toBeGreaterThanOrEqual(0);
        expect(l.x + l.width, `${l.text} ends inside the chart`).toBeLessThanOrEqual(chart.width);
        expect(l.y + l.height, `${l.text} is above the chart's bottom`).toBeLessThanOrEqual(chart.height);
      }
      const clashes = chart.labels.flatMap((a, i) => chart.labels.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `"${a.text}" / "${b.text}"`));
      expect(clashes).toEqual([]);
      // A name too long for its column is cut with "...", never drawn over the plot.
      for (const l of names) expect(l.truncated ? l.text.endsWith('...') : l.text === l.name).toBe(true);
    });
  }

  it('a name cut short shows the whole name in a tooltip when hovered', async () => {
    // In the narrowest column, where the longest catalog names are cut whatever the fonts (at 1280 px
    // whether one is cut depends on the machine's sans-serif font).
    const chart = await draw(WIDTHS.narrowest);
    const cut = chart.labels.find((l) => l.truncated);
    expect(cut, 'the longest catalog names are cut in the narrowest column').toBeDefined();
    await page.mouse.move(cut!.x + cut!.width / 2, cut!.y + cut!.height / 2);
    await expect.poll(async () => (await tooltip()).map((r) => r.text).join(''), { timeout: 5_000 }).toContain(cut!.name!);
    await page.locator('#chart').screenshot({ path: artifactPath('analytics-stress-label-tooltip.png') });
  });

  it("a bar's tooltip shows the series name and the value apart, under the app's Content-Security-Policy", async () => {
    const chart = await draw(WIDTHS['1280']);
    const i = NAMES.findIndex((_, k) => VALUES[k]! < 0);
    const bar = chart.bars[i]!;
    await page.mouse.move(bar.x, bar.y);
    const value = Math.round(VALUES[i]!).toLocaleString('en-US');
    await expect.poll(async () => (await tooltip()).map((r) => r.text), { timeout: 5_000 }).toContain(value);
    await page.locator('#chart').screenshot({ path: artifactPath('analytics-stress-bar-tooltip.png') });
    const runs = await tooltip();
    expect(runs.map((r) => r.text)).toEqual([NAMES[i], 'correlated P&L ($)', value]);
    // The series name and its value on one line, the value clear of the name.
    const [, name, amount] = runs;
    expect(Math.abs(amount!.y - name!.y)).toBeLessThan(2);
    expect(amount!.x - (name!.x + name!.width)).toBeGreaterThanOrEqual(10);
    expect(pageErrors).toEqual([]);
  });
});
