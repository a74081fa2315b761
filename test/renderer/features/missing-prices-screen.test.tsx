// @vitest-environment happy-dom
/**
 * The Missing prices screen: filters that match nothing say so, not that every symbol had a
 * close; the columns name what they hold (dates), each heading stays on one line in a 1280 px
 * window, a long symbol wraps (after its underscores first), and the symbol and detail cells
 * have their whole text as a tooltip.
 * Reasons read in words (the filter's checkboxes and the Reason cells), their code in the tooltip,
 * the filter still sends the codes; a fallback's age is in trading days, the fallback window's unit.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MissingPriceRow } from '../../../core/api/commands/view-commands';
import type { IsoDate } from '../../../core/domain/iso-date';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { MissingPricesScreen } from '../../../renderer/features/missing-prices/missing-prices-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport } from '../../support/app/fake-transport';
import { lengthOf, px, ruleOf, screenWidth } from '../stylesheet';

beforeEach(fakeLayout);
afterEach(cleanup);

const missing: MissingPriceRow = {
  date: '2026-11-03' as IsoDate,
  symbol: 'FO_PRIVATE_EQUITY_FUND',
  reason: 'no_data',
  resolution: 'missing',
  fallbackPriceDate: null,
  fallbackAgeDays: null,
  fallbackAgeTradingDays: null,
  lastKnownPriceDate: '2026-09-30',
  provider: 'yahoo',
  detail: 'no close returned for the date',
  positionsAffected: 2,
  portfoliosAffected: 1,
};

/** Each heading's width in px, in 14px semibold as Chromium draws it on Debian (DejaVu Sans), rounded up. */
const HEADING_PX: Readonly<Record<string, number>> = { Date: 38, Symbol: 59, Reason: 58, Resolution: 85, 'Fallback date': 107, 'Fallback age': 99, 'Last close date': 120, Portfolios: 77, Lots: 34, Detail: 47 };

/** The screen over an engine whose missing prices are `rows`, filtered by resolution as the engine does. */
function renderMissing(rows: MissingPriceRow[], asked: unknown[] = []): void {
  const client = new EngineClient(
    new FakeTransport({
      listPortfolios: () => ({ portfolios: [] }),
      getMissingPrices: (input) => {
        asked.push(input);
        const { resolution, reasons = [] } = input as { resolution?: string; reasons?: string[] };
        const matched = rows.filter((r) => (!resolution || r.resolution === resolution) && (reasons.length === 0 || reasons.includes(r.reason)));
        return { rows: matched, total: matched.length, truncated: false };
      },
      getSuspectPrices: () => ({ rows: [], total: 0, truncated: false }),
    }),
  );
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <MissingPricesScreen />
    </ServicesProvider>,
  );
}

describe('the Missing prices screen', () => {
  it('says when the filters match nothing, and keeps the all-clear for no missing price at all', async () => {
    renderMissing([missing]);
    await screen.findByTestId('missing-table');
    fireEvent.change(screen.getByTestId('missing-resolution'), { target: { value: 'fallback' } });
    fireEvent.click(screen.getByTestId('missing-apply'));
    await screen.findByText('No rows match the filters');
    expect(screen.queryByText('No missing prices')).toBeNull();
    cleanup();
    renderMissing([]);
    expect(await screen.findByText('No missing prices')).toBeTruthy();
  });

  it('names the date columns so, gives every heading room on one line, and fits a 1280 px window', async () => {
    renderMissing([missing]);
    const table = await screen.findByTestId('missing-table');
    const head = table.querySelector<HTMLElement>('.table-head')!;
    const headings = within(head).getAllByRole('columnheader').map((h) => h.textContent ?? '');
    expect(headings).toEqual(['Date', 'Symbol', 'Reason', 'Resolution', 'Fallback date', 'Fallback age', 'Last close date', 'Portfolios', 'Lots', 'Detail']);
    // Each track's least width: "8rem", or the minimum of "minmax(8.5rem, 1fr)".
    const tracks = (head.style.gridTemplateColumns.match(/minmax\([^()]*\)|\S+/g) ?? []).map((t) => px(/^minmax\(([^,]+),/.exec(t)?.[1] ?? t));
    expect(headings.filter((h, i) => !(tracks[i]! >= HEADING_PX[h]!))).toEqual([]);
    const row = ruleOf('.table-head,\n.table-row');
    const width = tracks.reduce((a, b) => a + b, 0) + lengthOf(row, 'gap') * (tracks.length - 1) + 2 * px(/padding:\s*0 ([\d.]+px)/.exec(row)?.[1] ?? '') + 2 * lengthOf(ruleOf('.table'), 'border');
    expect(width).toBeLessThanOrEqual(screenWidth(1280));
  });

  it('gives the symbol and detail cells their whole text as a tooltip', async () => {
    renderMissing([missing]);
    const table = await screen.findByTestId('missing-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    const cells = within(within(table).getAllByRole('row')[1]!).getAllByRole('gridcell');
    expect(cells[1]!.getAttribute('title')).toBe('FO_PRIVATE_EQUITY_FUND');
    expect(cells[9]!.getAttribute('title')).toBe('yahoo: no close returned for the date');
  });

  it('wraps a long symbol onto more lines rather than cutting it: after its underscores, else where it must', async () => {
    renderMissing([missing, { ...missing, symbol: 'QQQ250815C00420000' }]);
    const table = await screen.findByTestId('missing-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const symbolCells = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell')[1]!);
    expect(symbolCells.map((c) => [c.textContent, c.classList.contains('wrap')])).toEqual([
      ['FO_PRIVATE_EQUITY_FUND', true],
      ['QQQ250815C00420000', true],
    ]);
    // A break is offered after each underscore (FO_ / PRIVATE_ / EQUITY_ / FUND).
    expect(symbolCells[0]!.querySelectorAll('wbr')).toHaveLength(3);
  });

  it('says the reasons in words, with their code in the tooltip, and filters by code', async () => {
    const stale: MissingPriceRow = { ...missing, symbol: 'ZM', reason: 'stale_beyond_fallback' };
    const asked: unknown[] = [];
    renderMissing([missing, stale], asked);
    const table = await screen.findByTestId('missing-table');
    const legend = screen.getByText('Reasons').closest('fieldset')!;
    const labels = [...legend.querySelectorAll('label')].map((l) => [l.textContent, l.getAttribute('title')?.split(':')[0]]);
    expect(labels).toEqual([
      ['one-off gap', 'no_data'],
      ['provider error', 'provider_error'],
      ['rate limited', 'rate_limited'],
      ['stale (over 5 trading days)', 'stale_beyond_fallback'],
      ['invalid price', 'invalid_price'],
      ['not listed yet', 'not_listed_yet'],
    ]);
    expect(legend.textContent).not.toMatch(/_/);
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const reasonCells = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell')[2]!);
    expect(reasonCells.map((c) => c.textContent)).toEqual(['one-off gap', 'stale (over 5 trading days)']);
    expect(reasonCells[1]!.getAttribute('title')).toMatch(/^stale_beyond_fallback: no close on the date nor in the five trading days before/);
    fireEvent.click(screen.getByLabelText('stale (over 5 trading days)'));
    fireEvent.click(screen.getByTestId('missing-apply'));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(asked.at(-1)).toMatchObject({ reasons: ['stale_beyond_fallback'] });
  });

  it("labels stale what is over the fallback window's 5 trading days: a 5-trading-day fallback is a one-off gap, the Reason cell wraps the longer label", async () => {
    // JPM's last close 2026-11-13: on 2026-11-20 it is 5 trading days old (a fallback), on 2026-11-23 6 (stale).
    const gap: MissingPriceRow = { ...missing, date: '2026-11-20' as IsoDate, symbol: 'JPM', resolution: 'fallback', fallbackPriceDate: '2026-11-13', fallbackAgeDays: 7, fallbackAgeTradingDays: 5, lastKnownPriceDate: '2026-11-13' };
    const stale: MissingPriceRow = { ...gap, date: '2026-11-23' as IsoDate, reason: 'stale_beyond_fallback', resolution: 'missing', fallbackPriceDate: null, fallbackAgeDays: null, fallbackAgeTradingDays: null };
    renderMissing([stale, gap]);
    const table = await screen.findByTestId('missing-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const cells = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell'));
    expect(cells.map((c) => [c[2]!.textContent, c[5]!.textContent])).toEqual([
      ['stale (over 5 trading days)', '-'],
      ['one-off gap', '5 trading days'],
    ]);
    expect(cells[0]![2]!.classList.contains('wrap')).toBe(true);
  });

  it("shows a fallback's age in trading days, its calendar days in the tooltip", async () => {
    // 2026-11-30 (Monday) fell back to 2026-11-25 (Wednesday): Thanksgiving and a weekend between.
    const fallback: MissingPriceRow = { ...missing, date: '2026-11-30' as IsoDate, resolution: 'fallback', fallbackPriceDate: '2026-11-25', fallbackAgeDays: 5, fallbackAgeTradingDays: 2 };
    renderMissing([fallback, { ...missing, symbol: 'ZM' }]);
    const table = await screen.findByTestId('missing-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const ages = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell')[5]!);
    expect(ages.map((c) => c.textContent)).toEqual(['2 trading days', '-']);
    expect(ages[0]!.getAttribute('title')).toBe('2 trading days (5 calendar days) before the date; the fallback window is 5 trading days');
  });

  it('wraps the detail onto more lines instead of cutting it short', async () => {
    renderMissing([missing]);
    const table = await screen.findByTestId('missing-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    const detail = within(within(table).getAllByRole('row')[1]!).getAllByRole('gridcell')[9]!;
    expect(detail.classList.contains('wrap')).toBe(true);
    expect(ruleOf('.table-row > div.wrap')).toMatch(/white-space:\s*normal/);
  });
});
