// @vitest-environment happy-dom
/**
 * The Live cell detail shows a cell's metrics (SPEC.md c.5 to c.10, h.4) as a readable list, not
 * as JSON: a label per metric, durations in ms or s, percentages, money and counts with thousands
 * separators, yes/no, lists as words, nested values as their own labelled list one level in;
 * the job outcomes' metrics the same way, a job that does not apply as "not applicable"; an
 * empty list or object is no row of its own. The metrics as stored stay available, folded
 * away under "Raw JSON".
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metricLabel, metricText } from '../../../renderer/features/telemetry/metric-format';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { trackingRow } from '../../support/app/tracking-row';
import { dateResultEvent, phaseResultEvent, runStartEvent } from '../../support/telemetry/event-builders';

const DATE = '2025-07-15';
const P1 = '9381dd8d-db58-9843-f5e4-4eea0ae62e9a';

/** A date's metadata as the engine stores it (h.4), cut down to what the checks need. */
const METADATA = {
  schema: 1,
  market_data: {
    symbols_requested: 1250,
    coverage_pct: 96.875,
    requests_made: 0,
    sources: ['synthetic', 'cache'],
    missing_symbols: [],
    providers: {},
    prefetch: { duration_ms: 1534, fetch_mode: 'cached', symbols: 55 },
  },
  portfolios: {
    [P1]: {
      snapshots: { nav: 1269799.98, daily_pnl: -7022.7, daily_return: 0.005561313, cash_negative: true, num_positions: 12 },
      analytics: {
        jobs_expected: 2,
        jobs_completed: 1,
        jobs: {
          market_beta: { success: true, reason: null, metrics: { positions: 12, beta: 0.293760621, r_squared: 0.178 } },
          volatility: { success: false, reason: 'not_applicable', metrics: { positions: 0, detail: 'no_lot_with_price_history' } },
          stress_tests: { success: false, reason: 'no_factor_exposures', metrics: {} },
          ir_beta: { success: false, reason: 'exception', metrics: {} },
        },
      },
    },
  },
};

const cell = { status: 'success', startedAt: null, durationMs: 41, reason: null, error: null };
const ROW = trackingRow(DATE, { phases: { market_data: { ...cell, portfolios: null }, snapshots: { ...cell, portfolios: { [P1]: cell } }, analytics: { ...cell, portfolios: { [P1]: cell } } } });
const PORTFOLIO = { id: P1, name: 'Public Growth', accountName: 'Demo', isActive: true, deleted: false, equityBalance: null, initialEquity: null, positions: 12, firstEntryDate: null, latestSnapshotDate: null };

beforeEach(() => {
  fakeLayout(); // so the virtualized grid renders rows
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openCell(phase: string) {
  const { transport } = renderLiveScreen({
    listPortfolios: () => ({ portfolios: [PORTFOLIO] }),
    getDateDetail: () => ({ row: ROW, phaseStatus: null, metadata: METADATA }),
  });
  await act(async () => {
    transport.emit({ events: [runStartEvent(1), phaseResultEvent(DATE, 'market_data', null, 'success', 2), dateResultEvent(DATE, 'success', 3)], counts: {}, coalesced: 0 });
  });
  fireEvent.click(await screen.findByTestId(`cell-${DATE}-${phase}`));
  const panel = await screen.findByTestId('cell-detail');
  await waitFor(() => expect(panel.getAttribute('data-loaded')).toBe('true'));
  return panel;
}

/** The label and value of each metric of a list, as read. */
const entries = (dl: Element) => [...dl.querySelectorAll(':scope > div')].map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent]);

describe('metric labels and values', () => {
  it('reads keys as words, with the usual forms of known words and the unit left to the value', () => {
    expect(metricLabel('symbols_with_exact_close')).toBe('Symbols with exact close');
    expect(metricLabel('daily_pnl')).toBe('Daily P&L');
    expect(metricLabel('nav')).toBe('NAV');
    expect(metricLabel('coverage_pct')).toBe('Coverage');
    expect(metricLabel('duration_ms')).toBe('Duration');
    expect(metricLabel('num_unmarked_positions')).toBe('Number of unmarked positions');
    expect(metricLabel('r_squared')).toBe('R-squared');
  });

  it('formats values by what the key holds', () => {
    expect(metricText('duration_ms', 14)).toBe('14 ms');
    expect(metricText('duration_ms', 5123)).toBe('5.12 s');
    expect(metricText('duration_seconds', 2.5)).toBe('2.50 s');
    expect(metricText('coverage_pct', 96.875)).toBe('96.88%');
    expect(metricText('missing_ratio', 0.125)).toBe('12.50%');
    expect(metricText('nav', 1269799.98)).toBe('1,269,799.98');
    expect(metricText('worst_correlated_pnl', -1003624.6)).toBe('-1,003,624.60');
    expect(metricText('rows_upserted', 34595)).toBe('34,595');
    expect(metricText('beta', 0.293760621)).toBe('0.2938');
    expect(metricText('cash_negative', false)).toBe('no');
    expect(metricText('skip_reason', null)).toBe('-');
    expect(metricText('missing_symbols', [])).toBe('none');
    expect(metricText('missing_symbols', ['AAPL', 'ZM'])).toBe('AAPL, ZM');
    expect(metricText('providers', {})).toBe('none');
    // Values with parts of their own are listed by the caller.
    expect(metricText('prefetch', { symbols: 55 })).toBeNull();
  });
});

describe('the cell detail metrics', () => {
  it('lists a date phase\'s metrics with labels and formatted values, nested ones one level in, no empty ones, and no JSON', async () => {
    const panel = await openCell('market_data');
    const list = panel.querySelector('dl.metrics')!;
    expect(entries(list)).toEqual([
      ['Symbols requested', '1,250'],
      ['Coverage', '96.88%'],
      ['Requests made', '0'],
      ['Sources', 'synthetic, cache'],
      ['Prefetch', 'Duration1.53 sFetch modecachedSymbols55'],
    ]);
    expect(entries(list.querySelector('[data-metric=prefetch] dl')!)).toEqual([
      ['Duration', '1.53 s'],
      ['Fetch mode', 'cached'],
      ['Symbols', '55'],
    ]);
    // The metric's key is its label's tooltip.
    expect(list.querySelector('dt')!.getAttribute('title')).toBe('symbols_requested');
    expect(list.textContent).not.toMatch(/[{}[\]"]/);
  });

  it('keeps the raw JSON of the metrics, folded away', async () => {
    const panel = await openCell('market_data');
    const raw = within(panel).getByTestId('metrics-raw') as HTMLDetailsElement;
    expect(raw.open).toBe(false);
    expect(raw.querySelector('summary')!.textContent).toBe('Raw JSON');
    expect(JSON.parse(raw.querySelector('pre')!.textContent!)).toEqual(METADATA.market_data);
  });

  it("lists a portfolio's metrics: money, percentages, yes/no, counts", async () => {
    const panel = await openCell('snapshots');
    const list = panel.querySelector('details dl.metrics')!;
    expect(entries(list)).toEqual([
      ['NAV', '1,269,799.98'],
      ['Daily P&L', '-7,022.70'],
      ['Daily return', '0.56%'],
      ['Cash negative', 'yes'],
      ['Number of positions', '12'],
    ]);
  });

  it('shows the job outcomes with readable metrics; a job that does not apply is not a failure', async () => {
    const panel = await openCell('analytics');
    const rows = [...within(panel).getByTestId('job-outcomes').querySelectorAll('tbody tr')];
    const cells = rows.map((r) => [...r.querySelectorAll(':scope > td')]);
    expect(cells.map((c) => c.slice(0, 3).map((td) => td.textContent))).toEqual([
      ['Market beta', 'success', '-'],
      ['Volatility', 'not applicable', 'not applicable'],
      // A benign skip (m.22, m.23) is counted as not applicable, and reads so; only a real failure reads failed.
      ['Stress tests', 'not applicable', 'no factor exposures'],
      ['IR beta', 'failed', 'unexpected error'],
    ]);
    // The codes stay at hand as the cells' tooltips.
    expect(cells.map((c) => [c[0]!.getAttribute('title'), c[2]!.getAttribute('title')])).toEqual([
      ['market_beta', null],
      ['volatility', 'not_applicable'],
      ['stress_tests', 'no_factor_exposures'],
      ['ir_beta', 'exception'],
    ]);
    expect(entries(cells[0]![3]!.querySelector('dl')!)).toEqual([
      ['Positions', '12'],
      ['Beta', '0.2938'],
      ['R-squared', '0.178'],
    ]);
    expect(cells[2]![3]!.textContent).toBe('-');
    expect(within(panel).getByTestId('job-outcomes').textContent).not.toMatch(/[{}"]/);
    // The job outcomes are in the raw JSON of the analytics metrics.
    expect(JSON.parse(within(panel).getByTestId('metrics-raw').querySelector('pre')!.textContent!).jobs.volatility.reason).toBe('not_applicable');
  });
});
