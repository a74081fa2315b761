// @vitest-environment happy-dom
/**
 * The Live cell detail of a market-data cell says the price coverage once and right (SPEC.md
 * c.5): the symbols needed, with an exact close, with a fallback close and with no usable price,
 * the symbols that used a fallback apart from those with none; no "Symbols missing 0" beside
 * "Missing price count 1" and "Missing symbols AAPL" for one fallback, the fetch mode once, no
 * "none" rows for empty lists. The metrics are those `batchdesk run --target-date 2026-04-15
 * --market-data offline` stored on the demo database after the AAPL close of 2026-04-15 was
 * deleted (and, for the second case, MSFT's closes from 2026-03-20 to 2026-04-16 too).
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { trackingRow } from '../../support/app/tracking-row';
import { dateResultEvent, phaseResultEvent, runStartEvent } from '../../support/telemetry/event-builders';

const DATE = '2026-04-15';

/** AAPL's close deleted: it used the previous day's close. */
const ONE_FALLBACK = {
  symbols_requested: 54,
  symbols_with_exact_close: 53,
  symbols_with_fallback: 1,
  symbols_missing: 0,
  coverage_pct: 98.15,
  usable_coverage_pct: 100,
  requests_made: 0,
  retries: 0,
  rate_limited_count: 0,
  circuit_open_count: 0,
  rows_upserted: 0,
  invalid_prices: 0,
  price_jumps_flagged: 0,
  missing_price_count: 1,
  fallback_count: 1,
  providers: {},
  sources: [],
  mode: 'offline',
  missing_symbols: ['AAPL'],
  prefetch: { symbols: 54, ranges: 1, requested_days: 1, fetch_mode: 'incremental', duration_ms: 80, requests_made: 0, first_date: DATE, last_date: DATE, sources: [] },
  fetch_mode: 'incremental',
};

/** MSFT's closes of four weeks deleted too: no usable price for it. */
const FALLBACK_AND_MISSING = {
  ...ONE_FALLBACK,
  symbols_with_exact_close: 52,
  symbols_missing: 1,
  coverage_pct: 96.3,
  usable_coverage_pct: 98.15,
  missing_price_count: 2,
  missing_symbols: ['AAPL', 'MSFT'],
  prefetch: { ...ONE_FALLBACK.prefetch, ranges: 2, requested_days: 19, fetch_mode: 'gap_fill' },
  fetch_mode: 'gap_fill',
};

/** The date's rows on the Missing prices screen, as the engine stored them for the second case. */
const missingRow = (symbol: string, resolution: 'fallback' | 'missing') => ({
  date: DATE,
  symbol,
  reason: resolution === 'fallback' ? 'no_data' : 'stale_beyond_fallback',
  resolution,
  fallbackPriceDate: resolution === 'fallback' ? '2026-04-14' : null,
  fallbackAgeDays: resolution === 'fallback' ? 1 : null,
  fallbackAgeTradingDays: resolution === 'fallback' ? 1 : null,
  lastKnownPriceDate: resolution === 'fallback' ? '2026-04-14' : '2026-03-19',
  provider: null,
  detail: null,
  positionsAffected: 1,
  portfoliosAffected: 1,
});

const cell = { status: 'success', startedAt: null, durationMs: 41, reason: null, error: null };

beforeEach(() => fakeLayout());
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openMarketCell(metrics: Record<string, unknown>) {
  const { transport } = renderLiveScreen({
    listPortfolios: () => ({ portfolios: [] }),
    getDateDetail: () => ({ row: trackingRow(DATE, { phases: { market_data: { ...cell, portfolios: null } } }), phaseStatus: null, metadata: { schema: 1, market_data: metrics } }),
    getMissingPrices: () => ({ rows: [missingRow('AAPL', 'fallback'), missingRow('MSFT', 'missing')], total: 2, truncated: false }),
  });
  await act(async () => {
    transport.emit({ events: [runStartEvent(1), phaseResultEvent(DATE, 'market_data', null, 'success', 2), dateResultEvent(DATE, 'success', 3)], counts: {}, coalesced: 0 });
  });
  fireEvent.click(await screen.findByTestId(`cell-${DATE}-market_data`));
  const panel = await screen.findByTestId('cell-detail');
  await waitFor(() => expect(panel.getAttribute('data-loaded')).toBe('true'));
  return { panel, transport };
}

/** The label and value of each entry of a list, as read. */
const entries = (dl: Element) => [...dl.querySelectorAll(':scope > div')].map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent]);

describe('the market-data cell detail', () => {
  it('says one fallback once: AAPL used a fallback, none lacks a usable price', async () => {
    const { panel, transport } = await openMarketCell(ONE_FALLBACK);
    expect(entries(screen.getByTestId('price-coverage'))).toEqual([
      ['Symbols needed', '54'],
      ['Exact close', '53'],
      ['Fallback close', '1: AAPL'],
      ['No usable price', '0'],
      ['Coverage', '98.15% exact, 100% usable'],
    ]);
    // The counts need no Missing prices rows to be told apart.
    expect(transport.calls.filter((c) => c.name === 'getMissingPrices')).toEqual([]);
    const text = panel.textContent ?? '';
    expect(text).not.toMatch(/Symbols missing|Missing price count|Missing symbols|Fallback count/);
    expect(text).not.toMatch(/none/);
    expect(text.match(/Fetch mode/g)).toEqual(['Fetch mode']);
    const others = entries(panel.querySelectorAll('dl.metrics')[1]!);
    expect(others.map(([label]) => label)).toEqual(['Requests made', 'Retries', 'Rate limited count', 'Circuit open count', 'Rows upserted', 'Invalid prices', 'Price jumps flagged', 'Mode', 'Prefetch', 'Fetch mode']);
    expect(entries(panel.querySelector('[data-metric=prefetch] dl')!).map(([label]) => label)).toEqual(['Symbols', 'Ranges', 'Requested days', 'Duration', 'Requests made', 'First date', 'Last date']);
  });

  it('tells the symbols that used a fallback from those with no usable price, from the Missing prices rows', async () => {
    const { transport } = await openMarketCell(FALLBACK_AND_MISSING);
    await waitFor(() => expect(screen.getByTestId('price-coverage-fallback').textContent).toBe('1: AAPL'));
    expect(screen.getByTestId('price-coverage-missing').textContent).toBe('1: MSFT');
    expect(transport.calls.find((c) => c.name === 'getMissingPrices')!.input).toEqual({ startDate: DATE, endDate: DATE, symbols: ['AAPL', 'MSFT'], includeIncomplete: true });
  });

  it('counts more symbols than the metrics name', async () => {
    await openMarketCell({ ...ONE_FALLBACK, symbols_with_exact_close: 30, symbols_with_fallback: 24, coverage_pct: 55.56, missing_price_count: 24, fallback_count: 24, missing_symbols: Array.from({ length: 20 }, (_, i) => `S${i + 1}`) });
    expect(screen.getByTestId('price-coverage-fallback').textContent).toBe(`24: ${Array.from({ length: 20 }, (_, i) => `S${i + 1}`).join(', ')} and 4 more`);
  });
});
