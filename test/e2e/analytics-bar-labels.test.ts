/**
 * The Analytics screen's stress-test chart in real Chromium (Debian's /usr/bin/chromium via
 * playwright-core): the option the screen builds (chart-options.ts barOption) drawn with the
 * app's ECharts build, with the 22 catalog scenarios, at the width the chart gets in a
 * 1280 px and a 1920 px window and in the narrowest column the layout allows. Every scenario
 * name is drawn, inside the chart, and no two labels overlap (the names' rows, the value
 * axis's ticks); a name cut short ends in "..." and hovering it shows the whole name.
 * Screenshots go to test-artifacts/e2e/ (gitignored).
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRESS_CATALOG } from '../../core/data/stress-scenarios';
import type { DrawnChart, DrawnLabel } from '../support/e2e/bar-chart-harness';
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

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const overlap = (a: DrawnLabel, b: DrawnLabel) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function draw(width: number): Promise<DrawnChart> {
  return page.evaluate(([w, h, names, values]) => (window as unknown as { drawBars: (...a: unknown[]) => DrawnChart }).drawBars(w, h, names, values), [width, HEIGHT, NAMES, VALUES] as const);
}

beforeAll(async () => {
  const script = await bundleHarness(resolve(REPO_ROOT, 'test/support/e2e/bar-chart-harness.ts'));
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1000, height: HEIGHT + 100 } })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setContent('<!doctype html><html><body style="margin:0;font-family:sans-serif"></body></html>');
  await page.addScriptTag({ content: script });
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
    const chart = await draw(WIDTHS['1280']);
    const cut = chart.labels.find((l) => l.truncated);
    expect(cut, 'the longest catalog names are cut at 1280 px').toBeDefined();
    await page.mouse.move(cut!.x + cut!.width / 2, cut!.y + cut!.height / 2);
    await expect.poll(() => page.locator('#chart').innerText(), { timeout: 5_000 }).toContain(cut!.name!);
    await page.locator('#chart').screenshot({ path: artifactPath('analytics-stress-label-tooltip.png') });
  });
});
