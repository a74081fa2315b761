/**
 * Re-running some portfolios of a processed date (`run --portfolio ID`) leaves the rest of the
 * date as it was (SPEC.md e.2, h.4): the missing-price rows of symbols only the other
 * portfolios need are kept (the run neither fetches nor judges them), a symbol both need
 * keeps counting every lot in positions_affected, and the tracking row's date-level totals
 * (analytics_totals, model_count) still cover every portfolio of the date.
 *
 * Fixture: the demo over 2025-06-30 .. 2025-07-10 with no AMD close on 07-09 (AMD is held
 * only by the hedge fund), so 07-09 has one missing-price row (a fallback to 07-08). The
 * progress line of such a run counts the run's portfolios, as its summary does.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIOS, injectPriceGaps, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const DAY = '2025-07-09';

function dateState(db: string) {
  const c = new Database(db, { readonly: true });
  try {
    const missing = c.prepare(`SELECT symbol, reason, resolution, fallback_price_date, positions_affected, portfolios_affected FROM missing_prices WHERE price_date = ? ORDER BY symbol`).all(DAY);
    const meta = JSON.parse((c.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`).get(DAY) as { metadata: string }).metadata) as Record<string, unknown>;
    return { missing, analyticsTotals: meta['analytics_totals'], modelCount: meta['model_count'], portfolios: Object.keys(meta['portfolios'] as object).sort() };
  } finally {
    c.close();
  }
}

describe('run --portfolio on a processed date', () => {
  it('keeps the other portfolios’ missing prices and the date-level totals', async () => {
    const db = join(tempDir(), 'subset.db');
    copyFileSync(seedDemoDb(SHORT_NOW), db);
    injectPriceGaps(db, [{ symbol: 'AMD', dates: [DAY] }]);
    const env = { BATCHDESK_NOW: SHORT_NOW };
    const full = await runCli(['run', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--quiet'], env);
    expect(full.code, full.stderr).toBe(0);
    const before = dateState(db);
    expect(before.missing).toEqual([{ symbol: 'AMD', reason: 'no_data', resolution: 'fallback', fallback_price_date: '2025-07-08', positions_affected: 1, portfolios_affected: 1 }]);
    expect(before.portfolios).toHaveLength(5);
    expect(before.modelCount).toBeGreaterThan(0); // the hedge fund's options are model-marked

    const one = await runCli(['run', '--db', db, '--target-date', DAY, '--portfolio', DEMO_PORTFOLIOS.individual, '--quiet'], env);
    expect(one.code, one.stderr).toBe(0);
    expect(dateState(db)).toEqual(before);

    // Its progress line counts the run's portfolio, as the summary does (not the date's five).
    const shown = await runCli(['run', '--db', db, '--target-date', DAY, '--portfolio', DEMO_PORTFOLIOS.individual, '--no-guard'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const line = /portfolios 1\/1 ok\s+jobs (\d+)\/(\d+)/.exec(shown.stderr);
    const summary = /Analytics jobs: (\d+)\/(\d+) completed/.exec(shown.stdout + shown.stderr);
    expect(line, shown.stderr).not.toBeNull();
    expect(summary).not.toBeNull();
    expect([line![1], line![2]]).toEqual([summary![1], summary![2]]);
    expect(Number(line![2])).toBeLessThan((before.analyticsTotals as { jobs_expected: number }).jobs_expected);

    // The hedge fund's own re-run judges AMD again and writes the same row.
    const hedge = await runCli(['run', '--db', db, '--target-date', DAY, '--portfolio', DEMO_PORTFOLIOS.hedgeFund, '--quiet'], env);
    expect(hedge.code, hedge.stderr).toBe(0);
    expect(dateState(db)).toEqual(before);
  }, 180_000);
});
