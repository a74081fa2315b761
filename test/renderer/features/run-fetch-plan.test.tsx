// @vitest-environment happy-dom
/**
 * The Run screen's plan shows its market-data fetch plan (SPEC.md g.4: "the market-data fetch
 * plan per chunk: symbols, ranges, estimated request count, and the sources"), from the plan
 * document `planRun` returns: one sentence over all chunks, then each chunk with the ranges it
 * fetches listed under it. The sentence counts a range once: offline, every chunk whose windows
 * need an unfilled gap lists it, and the plan's total counts it once.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchPlan } from '../../../renderer/features/run/fetch-plan';
import { planSchema } from '../../../renderer/state/run-plan';
import { ruleOf } from '../stylesheet';

afterEach(cleanup);

const fetchOf = (ranges: { symbol: string; start: string; end: string; trading_days: number }[], sources = ['csv', 'yahoo']) => ({
  sources,
  symbols: ['AAPL', 'MSFT', 'SPY'],
  ranges,
  requested_days: ranges.reduce((s, r) => s + r.trading_days, 0),
  estimated_requests: sources.length ? ranges.length : 0,
  fetch_mode: 'full_backfill',
});

const planWith = (chunks: unknown[], total?: { ranges: number; requested_days: number }) => planSchema.parse({ target_date: '2025-07-10', chunks, dates: [], fetch_total: total });

describe('the fetch plan of the Run screen', () => {
  it('sums the chunks, names the sources and lists each chunk and range', () => {
    render(
      <FetchPlan
        plan={planWith([
          { index: 0, first_date: '2025-06-30', last_date: '2025-07-02', dates: 3, fetch: fetchOf([{ symbol: 'MSFT', start: '2025-03-03', end: '2025-07-02', trading_days: 85 }]) },
          { index: 1, first_date: '2025-07-03', last_date: '2025-07-03', dates: 1, fetch: fetchOf([{ symbol: 'MSFT', start: '2025-07-03', end: '2025-07-03', trading_days: 1 }]) },
        ])}
      />,
    );
    const box = screen.getByTestId('fetch-plan');
    expect(box.querySelector('p')!.textContent).toBe('Market data: 3 symbol(s); 2 range(s) missing from the cache (86 trading days): about 2 request(s) to csv then yahoo.');
    // Each chunk is a group of rows: its figures, then the ranges it fetches.
    const chunks = [1, 2].map((n) => screen.getByTestId(`fetch-chunk-${n}`));
    expect(chunks.map((c) => [...c.querySelector('tr')!.children].map((cell) => cell.textContent))).toEqual([
      ['1: 2025-06-30 .. 2025-07-02', '3', '1', '85', '1', 'full backfill'],
      ['2: 2025-07-03', '3', '1', '1', '1', 'full backfill'],
    ]);
    expect(chunks.map((c) => within(c).getAllByRole('listitem').map((li) => li.textContent))).toEqual([['MSFT 2025-03-03 .. 2025-07-02 (85 trading day(s))'], ['MSFT 2025-07-03 (1 trading day(s))']]);
    expect(within(box).getByRole('list', { name: 'Ranges of chunk 2' }).closest('tbody')).toBe(chunks[1]);
  });

  it('lists no ranges under a chunk whose closes are all cached, and the ranges of the others under each', () => {
    render(
      <FetchPlan
        plan={planWith([
          { index: 0, first_date: '2025-06-30', last_date: '2025-07-02', dates: 3, fetch: fetchOf([]) },
          {
            index: 1,
            first_date: '2025-07-03',
            last_date: '2025-07-08',
            dates: 3,
            fetch: fetchOf([
              { symbol: 'AAPL', start: '2025-07-03', end: '2025-07-08', trading_days: 3 },
              { symbol: 'SPY', start: '2025-07-07', end: '2025-07-08', trading_days: 2 },
            ]),
          },
        ])}
      />,
    );
    expect(within(screen.getByTestId('fetch-chunk-1')).queryByRole('list')).toBeNull();
    expect(within(screen.getByTestId('fetch-chunk-2')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['AAPL 2025-07-03 .. 2025-07-08 (3 trading day(s))', 'SPY 2025-07-07 .. 2025-07-08 (2 trading day(s))']);
  });

  it('says when everything is cached, when nothing is asked offline, and when market data does not run', () => {
    const { rerender } = render(<FetchPlan plan={planWith([{ index: 0, first_date: '2025-06-30', last_date: '2025-07-02', dates: 3, fetch: fetchOf([], ['synthetic']) }])} />);
    expect(screen.getByTestId('fetch-plan').textContent).toBe('Market data: 3 symbol(s); every needed close is cached, nothing to fetch (sources: synthetic).');
    rerender(<FetchPlan plan={planWith([{ index: 0, first_date: '2025-06-30', last_date: '2025-07-02', dates: 3, fetch: fetchOf([{ symbol: 'MSFT', start: '2025-03-03', end: '2025-07-02', trading_days: 85 }], []) }])} />);
    expect(screen.getByTestId('fetch-plan').querySelector('p')!.textContent).toContain('Offline without a CSV folder nothing is asked');
    rerender(<FetchPlan plan={planWith([{ index: 0, first_date: '2025-06-30', last_date: '2025-07-02', dates: 3, fetch: null }])} />);
    expect(screen.getByTestId('fetch-plan').textContent).toBe("Market data: not run; the cache's closes are used.");
  });

  it('offline, counts a gap that every chunk lists once, as the plan totals it', () => {
    const gap = { symbol: 'AAPL', start: '2025-03-03', end: '2025-03-14', trading_days: 10 };
    const chunk = (index: number, first: string, last: string) => ({ index, first_date: first, last_date: last, dates: 20, fetch: { ...fetchOf([gap], []), fetch_mode: 'gap_fill' } });
    render(<FetchPlan plan={planWith([chunk(0, '2025-10-01', '2025-10-30'), chunk(1, '2025-10-31', '2025-11-28'), chunk(2, '2025-12-01', '2025-12-29')], { ranges: 1, requested_days: 10 })} />);
    expect(screen.getByTestId('fetch-plan').querySelector('p')!.textContent).toBe(
      'Market data: 3 symbol(s); 1 range(s) missing from the cache (10 trading days). Offline without a CSV folder nothing is asked: those dates use a fallback close or stay missing.',
    );
    // Each chunk still lists the gap its windows lack.
    expect([1, 2, 3].map((n) => within(screen.getByTestId(`fetch-chunk-${n}`)).getAllByRole('listitem').map((li) => li.textContent))).toEqual([1, 2, 3].map(() => ['AAPL 2025-03-03 .. 2025-03-14 (10 trading day(s))']));
  });

  it('keeps each date range and the fetch mode on one line', () => {
    render(<FetchPlan plan={planWith([{ index: 0, first_date: '2025-10-01', last_date: '2025-10-30', dates: 20, fetch: fetchOf([{ symbol: 'AAPL', start: '2025-03-03', end: '2025-03-14', trading_days: 10 }]) }])} />);
    const lines = [...screen.getByTestId('fetch-chunk-1').querySelectorAll('.one-line')].map((s) => s.textContent);
    expect(lines).toEqual(['1: 2025-10-01 .. 2025-10-30', '2025-10-01 .. 2025-10-30', 'full backfill', '2025-03-03 .. 2025-03-14']);
    expect(ruleOf('.one-line')).toContain('white-space: nowrap;');
  });
});
