// @vitest-environment happy-dom
/**
 * The Reconciliation screen: one date or a range, never both (what is shown is what is
 * queried); a range the engine refuses is a message under the fields, not a crash card; the
 * LEVERAGE line says n/a when equity is not positive instead of a negative ratio; the
 * results name the marked value and count the marked lots, and quantities have separators;
 * a portfolio name, a mark's symbol and its previous price wrap in a narrow column rather than
 * be cut, and have their whole text as a tooltip.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MarkRow } from '../../../core/api/commands/view-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { ReconciliationScreen } from '../../../renderer/features/reconciliation/reconciliation-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { lengthOf, px, ruleOf, SCROLLBAR, screenWidth } from '../stylesheet';
import type { FakeHandler } from '../../support/app/fake-transport';
import { RefusingTransport, usageError } from '../refusing-transport';

beforeEach(fakeLayout);
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const leverage = (equity: number, ratio: number | null) => ({
  kind: 'LEVERAGE',
  text: `borrowed $1,250,000.00; gross exposure / equity = ${ratio === null ? 'n/a' : ratio.toFixed(4)}`,
  values: { borrowed: 1_250_000, gross_exposure: 2_866_250, equity, gross_to_equity: ratio },
});

function result(portfolioName: string, info: unknown[]) {
  return {
    portfolioId: portfolioName.toLowerCase(),
    portfolioName,
    date: '2026-11-03',
    flagged: false,
    checks: [{ id: 1, name: 'NAV - cash vs positions', difference: 0, status: 'ok' }],
    sMarked: 2_866_250,
    sAll: 2_866_250,
    markedLots: 14,
    unmarkedLots: 1,
    info,
    explanations: [],
  };
}

const mark: MarkRow = {
  positionId: 'lot-1',
  symbol: 'SPY',
  positionType: 'LONG',
  investmentClass: 'PUBLIC',
  underlyingSymbol: null,
  isActive: true,
  quantity: 12_500,
  multiplier: 1,
  price: 229.3,
  priceDate: '2026-11-03',
  priceSource: 'exact',
  marketValue: 2_866_250,
  costBasis: 2_500_000,
  unrealizedPnl: 366_250,
  dailyPnl: 1_250,
  prevPrice: 229.2,
  prevPriceDate: '2026-11-02',
  prevBasis: 'mark',
  closedQuantity: 0,
  closingPnl: 0,
  underlyingPrice: null,
  impliedVol: null,
  delta: null,
  gamma: null,
  theta: null,
  vega: null,
  flags: null,
  computedAt: '2026-11-03T23:00:00.000000Z',
};

function renderRecon(commands: Record<string, FakeHandler> = {}, refusals: ConstructorParameters<typeof RefusingTransport>[1] = {}): RefusingTransport {
  const transport = new RefusingTransport(
    {
      listPortfolios: () => ({ portfolios: [] }),
      getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
      reconcile: () => ({ threshold: 1, range: { start: '2026-11-03', end: '2026-11-03' }, flagged: 0, total: 2, results: [result('Hedge', [leverage(-500_000, -5.7325)]), result('Levered', [leverage(1_000_000, 2.8663)])] }),
      getMarks: () => ({ portfolioId: 'hedge', date: '2026-11-03', snapshot: null, marks: [mark] }),
      ...commands,
    },
    refusals,
  );
  const client = new EngineClient(transport);
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <ReconciliationScreen initialDate="2026-11-03" />
    </ServicesProvider>,
  );
  return transport;
}

const reconcileInputs = (t: RefusingTransport) => t.calls.filter((c) => c.name === 'reconcile').map((c) => c.input);

describe('a tracked portfolio-date without its snapshot', () => {
  it('is said apart from the table, with a way to run its date again (a tester saw the portfolio left out without a word)', async () => {
    renderRecon({
      reconcile: () => ({ threshold: 1, range: { start: '2026-11-03', end: '2026-11-03' }, flagged: 0, total: 1, results: [result('Hedge', [])], missingSnapshots: [{ portfolioId: 'ind', portfolioName: 'Individual', date: '2026-11-03' }] }),
    });
    const box = await screen.findByTestId('recon-missing-snapshots');
    expect(box.textContent).toContain('Tracked portfolio-dates without a snapshot: 1.');
    expect(within(box).getByText(/2026-11-03 Individual/)).toBeTruthy();
    expect(within(box).getByRole('button', { name: 'Run 2026-11-03 again...' })).toBeTruthy();
  });

  it('is not shown when every tracked portfolio-date has its snapshot', async () => {
    renderRecon();
    await screen.findByTestId('recon-summary');
    expect(screen.queryByTestId('recon-missing-snapshots')).toBeNull();
  });
});

describe('Reconciliation filters', () => {
  it('queries one date or a range, never both, with only the chosen fields shown', async () => {
    const transport = renderRecon();
    await screen.findByTestId('recon-summary');
    expect((screen.getByTestId('recon-date') as HTMLInputElement).value).toBe('2026-11-03');
    expect(screen.queryByTestId('recon-from')).toBeNull();
    fireEvent.change(screen.getByTestId('recon-mode'), { target: { value: 'range' } });
    expect(screen.queryByTestId('recon-date')).toBeNull();
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-02' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-05' } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    await waitFor(() => expect(reconcileInputs(transport)).toHaveLength(2));
    expect(reconcileInputs(transport)[1]).toEqual({ startDate: '2026-11-02', endDate: '2026-11-05', portfolios: [] });
    fireEvent.change(screen.getByTestId('recon-mode'), { target: { value: 'date' } });
    expect(screen.queryByTestId('recon-from')).toBeNull();
    fireEvent.click(screen.getByTestId('recon-apply'));
    await waitFor(() => expect(reconcileInputs(transport)).toHaveLength(3));
    expect(reconcileInputs(transport)[2]).toEqual({ date: '2026-11-03', portfolios: [] });
  });

  it('says a range the engine refuses under the fields, in their words, not as a crash', async () => {
    renderRecon({}, { reconcile: (input) => ((input as { startDate?: string }).startDate ? usageError('reconcile', 'endDate', '--end-date 2026-11-02 is before --start-date 2026-11-06') : null) });
    await screen.findByTestId('recon-summary');
    fireEvent.change(screen.getByTestId('recon-mode'), { target: { value: 'range' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-06' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    const message = await screen.findByTestId('recon-form-error');
    expect(message.textContent).toBe('The To date 2026-11-02 is before the From date 2026-11-06');
    expect(message.closest('form')).not.toBeNull();
    expect(screen.getByLabelText('To').getAttribute('aria-describedby')).toBe(message.id);
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect(screen.queryByText('Try again')).toBeNull();
  });
});

describe('Reconciliation results', () => {
  it('names the marked value, counts the marked lots, and gives quantities separators', async () => {
    renderRecon();
    const table = await screen.findByTestId('recon-table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Result', 'Date', 'Portfolio', 'Checks 1-6', 'Marked value', 'Marked lots', 'Unmarked lots']);
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('gridcell').slice(4).map((c) => c.textContent)).toEqual(['2,866,250.00', '14', '1']);
    fireEvent.click(row);
    const marks = await screen.findByTestId('recon-marks');
    await waitFor(() => expect(within(marks).getAllByRole('row')).toHaveLength(2));
    expect(within(within(marks).getAllByRole('row')[1]!).getAllByRole('gridcell')[2]!.textContent).toBe('12,500.00');
  });

  it('shows leverage as n/a when equity is not positive, and the ratio otherwise', async () => {
    renderRecon();
    const table = await screen.findByTestId('recon-table');
    fireEvent.click(within(table).getByText('Hedge'));
    const hedge = within(await screen.findByTestId('recon-info')).getByText('LEVERAGE').parentElement!;
    expect(hedge.textContent).toBe('LEVERAGE borrowed 1,250,000.00; gross exposure / equity n/a: equity ≤ 0 (-500,000.00)');
    expect(hedge.textContent).not.toContain('-5.7325');
    fireEvent.click(within(table).getByText('Levered'));
    await waitFor(() => expect(screen.getByTestId('recon-detail').textContent).toContain('Levered on 2026-11-03'));
    expect(within(screen.getByTestId('recon-info')).getByText('LEVERAGE').parentElement!.textContent).toBe('LEVERAGE borrowed 1,250,000.00; gross exposure / equity = 2.8663');
  });

  it('gives a mark\'s symbol and previous price their whole text as a tooltip', async () => {
    renderRecon({ getMarks: () => ({ portfolioId: 'hedge', date: '2026-11-03', snapshot: null, marks: [{ ...mark, symbol: 'FO_PRIVATE_EQUITY_FUND' }] }) });
    fireEvent.click(within(await screen.findByTestId('recon-table')).getByText('Hedge'));
    const marks = await screen.findByTestId('recon-marks');
    await waitFor(() => expect(within(marks).getAllByRole('row')).toHaveLength(2));
    const cells = within(within(marks).getAllByRole('row')[1]!).getAllByRole('gridcell');
    expect(cells[0]!.getAttribute('title')).toBe('FO_PRIVATE_EQUITY_FUND');
    expect(cells[8]!.getAttribute('title')).toBe(cells[8]!.textContent);
    expect(cells[8]!.textContent).toContain('on 2026-11-02 (mark)');
  });

  it('fits the results and the positions and marks in a 1024 px window, without a sideways scroll', async () => {
    renderRecon();
    fireEvent.click(within(await screen.findByTestId('recon-table')).getByText('Hedge'));
    const marks = await screen.findByTestId('recon-marks');
    await waitFor(() => expect(within(marks).getAllByRole('row')).toHaveLength(2));
    /**
     * The least width of a table whose heading row is `head`, in the rule `row`'s gaps and
     * padding: a fixed track's width, and the growing ones ("minmax(4.5rem, 1fr)") as a table as
     * wide as its columns sizes them (each at least its minimum, all in the ratio of their fr).
     */
    const leastWidth = (head: HTMLElement, row: string): number => {
      const tracks = (head.style.gridTemplateColumns.match(/minmax\([^()]*\)|\S+/g) ?? []).map((t) => {
        const grow = /^minmax\(([^,]+),\s*([\d.]+)fr\)$/.exec(t);
        return grow ? { min: px(grow[1]!), fr: Number(grow[2]) } : { min: px(t), fr: 0 };
      });
      const fraction = Math.max(...tracks.filter((t) => t.fr > 0).map((t) => t.min / t.fr));
      const columns = tracks.reduce((sum, t) => sum + (t.fr > 0 ? fraction * t.fr : t.min), 0);
      // A left-aligned column after a right-aligned one may keep a distance of its own.
      const cells = [...head.children];
      const after = cells.filter((c, i) => i > 0 && cells[i - 1]!.classList.contains('num') && !c.classList.contains('num')).length;
      const extra = lengthOf(ruleOf('.recon-detail .num + :not(.num)'), 'padding-left') || 0;
      return columns + lengthOf(row, 'gap') * (tracks.length - 1) + 2 * px(/padding:\s*0 ([\d.]+px)/.exec(ruleOf('.table-head,\n.table-row'))?.[1] ?? '') + after * extra + 2 * lengthOf(ruleOf('.table'), 'border');
    };
    const headOf = (table: HTMLElement) => table.querySelector<HTMLElement>('.table-head')!;
    const rowRule = ruleOf('.table-head,\n.table-row');
    const marksRule = ruleOf('.recon-detail .table-head,\n.recon-detail .table-row') || rowRule;
    expect(leastWidth(headOf(screen.getByTestId('recon-table')), rowRule)).toBeLessThanOrEqual(screenWidth(1024));
    // The marks scroll down in their own box (320 px of rows): its scrollbar takes room too.
    expect(leastWidth(headOf(marks), marksRule) + SCROLLBAR).toBeLessThanOrEqual(screenWidth(1024));
  });

  // A narrow window (1024 px) has no room for the whole text on one line: it wraps, never cut.
  it('wraps a portfolio name, a symbol and a previous price rather than cut them, with their whole text as a tooltip', async () => {
    const name = 'Demo Family Office Private Opportunities';
    renderRecon({
      reconcile: () => ({ threshold: 1, range: { start: '2026-11-03', end: '2026-11-03' }, flagged: 0, total: 1, results: [result(name, [])] }),
      getMarks: () => ({ portfolioId: 'fo', date: '2026-11-03', snapshot: null, marks: [{ ...mark, symbol: 'RENTAL_COMMERCIAL', prevPrice: 253_059.8 }] }),
    });
    const table = await screen.findByTestId('recon-table');
    const portfolio = within(within(table).getAllByRole('row')[1]!).getAllByRole('gridcell')[2]!;
    expect(portfolio.textContent).toBe(name);
    expect(portfolio.getAttribute('title')).toBe(name);
    expect(portfolio.classList.contains('wrap')).toBe(true);
    fireEvent.click(portfolio);
    const marks = await screen.findByTestId('recon-marks');
    await waitFor(() => expect(within(marks).getAllByRole('row')).toHaveLength(2));
    const [symbol, , , , , , , , previous] = within(within(marks).getAllByRole('row')[1]!).getAllByRole('gridcell');
    expect(symbol!.classList.contains('wrap')).toBe(true);
    expect(previous!.classList.contains('wrap')).toBe(true);
    // The symbol may break after its underscores; the previous price between its parts, never inside one.
    expect(symbol!.textContent).toBe('RENTAL_COMMERCIAL');
    expect(symbol!.querySelectorAll('wbr')).toHaveLength(1);
    expect([...previous!.querySelectorAll('.unbroken')].map((p) => p.textContent)).toEqual(['253,059.80', 'on 2026-11-02', '(mark)']);
    expect(previous!.getAttribute('title')).toBe('253,059.80 on 2026-11-02 (mark)');
  });
});
