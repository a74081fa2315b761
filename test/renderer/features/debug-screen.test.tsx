// @vitest-environment happy-dom
/**
 * Debug a date (SPEC.md g.12, m.21): how the screen shows the trace. Each table's largest
 * differences are per-column values at their precision (money to the cent, ratios to 6
 * significant digits), not a JSON object; the date-level phases' rows get their own card (a
 * run of only "market data" shows them, not "the date was not processed"); phases come in
 * pipeline order; a refused date is a form message next to the date and a lock refusal says
 * who holds the lock, neither a crash with "Try again"; and a run that did not complete says
 * what that means for its state, with the portfolios of its reasons named. The documents are
 * shaped as the real host returns them (test/host/handlers/debug-handlers.test.ts).
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceDocument } from '../../../core/api/commands/debug-commands';
import type { ErrorShape } from '../../../core/api/errors';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { DebugScreen } from '../../../renderer/features/debug/debug-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import type { FakeTransport } from '../../support/app/fake-transport';
import { RefusingTransport, usageError } from '../refusing-transport';

afterEach(cleanup);

const DATE = '2025-07-10';
const GROWTH = '9381dd8d-db58-9843-f5e4-4eea0ae62e9a';
const PRIVATE = 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c';
const portfolio = (id: string, name: string) => ({ id, name, accountName: 'Demo', isActive: true, deleted: false, equityBalance: 1, initialEquity: 1, positions: 3, firstEntryDate: '2025-01-02', latestSnapshotDate: DATE });
const PORTFOLIOS = [portfolio(GROWTH, 'Demo Family Office Public Growth'), portfolio(PRIVATE, 'Demo Family Office Private Opportunities')];

const difference = (table: string, maxAbsDiff: Record<string, number>, changed = 0) => ({
  table,
  storedRows: 1,
  computedRows: 1,
  added: [],
  removed: [],
  changed: Array.from({ length: changed }, (_, i) => ({ key: `k${i}`, columns: [] })),
  maxAbsDiff,
});

/** A portfolio phase's document as the host returns it (host/handlers/debug-handlers.ts). */
const phaseDoc = (phase: string, differences: unknown[] = [difference('position_marks', { price: 0 })], moneyColumns: string[] = []): TraceDocument => ({
  file: `${DATE}/${GROWTH}/${phase}.json`,
  date: DATE,
  portfolioId: GROWTH,
  phase,
  document: { date: DATE, portfolio_id: GROWTH, phase, inputs: { lots: [] }, outputs: {}, stored: {}, differences, rows_before_phase: {}, money_columns: moneyColumns },
});

/** The date-level summary: the rows the date-level phases wrote and the coverage figures. */
const dateSummary: TraceDocument = {
  file: `${DATE}/date/summary.json`,
  date: DATE,
  portfolioId: null,
  phase: 'summary',
  document: {
    date: DATE,
    portfolio_id: null,
    portfolio_name: null,
    status: 'same',
    tables: [],
    computed: { status: 'success', symbol_coverage: { requested: 55, exact: 55 }, missing_price_count: 0, fallback_count: 0, model_count: 8 },
    differences: [difference('missing_prices', {}), difference('symbol_factor_exposures', { beta_value: 0, r_squared: 0 })],
    money_columns: [],
  },
};

const portfolioSummary = (id: string): TraceDocument => ({ file: `${DATE}/${id}/summary.json`, date: DATE, portfolioId: id, phase: 'summary', document: { status: 'same', differences: [] } });
const monitorReport: TraceDocument = { file: 'monitor-report.json', date: null, portfolioId: null, phase: 'monitor-report', document: { clean: true } };

const output = (documents: TraceDocument[], extra: Record<string, unknown> = {}) => ({
  state: 'completed',
  exitCode: 0,
  batchRunId: 'batch_20250715_230000_d716',
  monitor: { clean: true, entries_compared: 3, entries_different: 0, entries_new: 0 },
  failures: [],
  documents,
  omitted: 0,
  error: null,
  ...extra,
});

function renderDebug(answer: () => unknown, refusal?: ErrorShape): FakeTransport {
  const transport = new RefusingTransport({ listPortfolios: () => ({ portfolios: PORTFOLIOS }), debugDate: answer }, refusal ? { debugDate: refusal } : {});
  const client = new EngineClient(transport);
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <DebugScreen initialDate={DATE} />
    </ServicesProvider>,
  );
  fireEvent.click(screen.getByTestId('debug-run'));
  return transport;
}

describe('Debug screen trace', () => {
  it('shows each column that differs at its precision, and counts the columns that do not', async () => {
    const snapshots = difference('portfolio_snapshots', { cash_value: 0, daily_return: 0.0001234566999999999, hhi: 0, total_value: 21.834100000094622, num_positions: 0 }, 1);
    renderDebug(() => output([phaseDoc('snapshots', [snapshots], ['cash_value', 'total_value'])]));
    const table = await screen.findByTestId('debug-differences');
    const cell = within(table).getAllByRole('row')[1]!.querySelectorAll('td')[6]!;
    expect([...cell.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['daily_return 0.000123457', 'total_value 21.83', '0 in the other 3 columns']);
    expect(cell.textContent).not.toContain('{');
  });

  it('a run of only the date-level phases shows their rows, not "the date was not processed"', async () => {
    renderDebug(() => output([portfolioSummary(GROWTH), dateSummary, portfolioSummary(PRIVATE), monitorReport]));
    const card = await screen.findByTestId('debug-phase-date');
    expect(card.closest('section')!.getAttribute('aria-label')).toBe('Date-level phases');
    expect(within(card).getAllByRole('row').map((r) => r.querySelector('td')?.textContent).slice(1)).toEqual(['missing_prices', 'symbol_factor_exposures']);
    expect(within(card).getByText('0 in all 2 columns')).toBeTruthy();
    expect(within(card).getByText('Coverage and fallbacks')).toBeTruthy();
    expect(screen.queryByText(/not processed/)).toBeNull();
    expect(screen.queryByText('No trace documents')).toBeNull();
    // A portfolio's summary repeats its phases; with no phase of its own traced, it shows nothing.
    expect(screen.queryByRole('region', { name: 'Demo Family Office Public Growth' })).toBeNull();
  });

  it('says so when the run wrote no trace at all', async () => {
    renderDebug(() => output([monitorReport]));
    expect((await screen.findByText('No trace documents')).parentElement!.textContent).toContain('The run wrote no trace for this date and these phases.');
  });

  it('shows the date-level rows first, then the phases in pipeline order', async () => {
    renderDebug(() => output([portfolioSummary(GROWTH), dateSummary, phaseDoc('analytics'), phaseDoc('marks'), phaseDoc('sector_tags'), phaseDoc('snapshots')]));
    await screen.findByTestId('debug-phase-marks');
    const cards = [...screen.getByTestId('debug-result').querySelectorAll('article')].map((a) => a.getAttribute('data-testid'));
    expect(cards).toEqual(['debug-phase-date', 'debug-phase-marks', 'debug-phase-snapshots', 'debug-phase-sector_tags', 'debug-phase-analytics']);
    expect(screen.getByRole('region', { name: 'Demo Family Office Public Growth' })).toBeTruthy();
  });
});

describe('Debug screen refusals', () => {
  it('a date that is not a trading day is a message next to the date, not a crash', async () => {
    const transport = renderDebug(() => output([]), usageError('debugDate', 'targetDate', '--target-date 2025-07-05 is not a trading day; the previous trading day is 2025-07-03'));
    const message = await screen.findByTestId('debug-date-error');
    expect(message.textContent).toBe('Target date 2025-07-05 is not a trading day; the previous trading day is 2025-07-03');
    // Next to the date, and the date field's description.
    expect(screen.getByTestId('debug-date').getAttribute('aria-describedby')).toBe(message.id);
    expect(screen.getByTestId('debug-date').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect(screen.queryByText('Try again')).toBeNull();
    // Changing the date clears the message; nothing was sent again.
    fireEvent.change(screen.getByTestId('debug-date'), { target: { value: '2025-07-03' } });
    expect(screen.queryByTestId('debug-date-error')).toBeNull();
    expect(transport.calls.filter((c) => c.name === 'debugDate')).toHaveLength(1);
  });

  it('a locked database says who holds the lock, without "Try again"', async () => {
    const held = 'the database is locked by another run (cli pid 4242 on desk-7, run batch_20250715_220000_a1b2, since 2025-07-15T22:00:00Z, last heartbeat 2025-07-15T22:05:00Z); wait for it to finish or stop it with `batchdesk cancel`';
    renderDebug(() => output([]), { code: 'locked', message: held });
    const alert = await screen.findByTestId('debug-locked');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe(`Not run: ${held}`);
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect(screen.queryByText('Try again')).toBeNull();
  });
});

describe('Debug screen failure alert', () => {
  const reasons = [`${DATE} marks[9381dd8d]: rolled back: snapshots failed`, `${DATE} analytics[ab46c3c0]: exception: boom`, `${DATE} marks[00000000]: unknown portfolio`];

  it.each([
    ['failed', 'The monitor-only run failed: the rows below are only what was computed before the failure.'],
    ['cancelled', 'The monitor-only run was cancelled: the rows below are only what was computed before it stopped.'],
    ['partial', 'The monitor-only run completed, but some phases failed: the rows below are those of the phases that ran.'],
  ])('a %s run says what that means, and names the portfolios of its reasons', async (state, sentence) => {
    renderDebug(() => output([], { state, exitCode: state === 'cancelled' ? 130 : 1, failures: reasons }));
    const alert = await screen.findByTestId('debug-failures');
    expect(alert.querySelector('p')!.textContent).toBe(sentence);
    await within(alert).findByText(`${DATE} marks (Demo Family Office Public Growth): rolled back: snapshots failed`);
    expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      `${DATE} marks (Demo Family Office Public Growth): rolled back: snapshots failed`,
      `${DATE} analytics (Demo Family Office Private Opportunities): exception: boom`,
      // A prefix the screen does not know stays as the engine wrote it.
      `${DATE} marks[00000000]: unknown portfolio`,
    ]);
  });
});
