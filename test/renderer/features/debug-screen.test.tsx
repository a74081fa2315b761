// @vitest-environment happy-dom
/**
 * Debug a date (SPEC.md g.12, m.21): how the screen shows the trace. Each table's largest
 * differences are per-column values at their precision (money to the cent, ratios to 6
 * significant digits), not a JSON object; the date-level phases' rows get their own card (a
 * run of only "market data" shows them, not "the date was not processed"); phases come in
 * pipeline order; a refused date is a form message under the fields, across the form (a Saturday or
 * Sunday the form's own, before anything is sent; a holiday the engine's), and a lock refusal says
 * who holds the lock, neither a crash with "Try again"; and a run that did not complete says
 * what that means for its state, with the portfolios of its reasons named. The verdict counts
 * what the sections show (the date-level rows, the portfolio-dates per status, those not run
 * after a failed date phase apart, naming it) and each section says its own status; a table's changed text and date columns are named with their rows; the
 * date-level card shows the inputs each date phase read. Each card leads with its phase's outcome,
 * and one that did not succeed is not shown as a comparison; a date on which nothing runs says so
 * with the engine's reason. The documents are shaped as the real host returns them
 * (test/host/handlers/debug-handlers.test.ts, debug-failures.test.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { monitorStatusSchema, type MonitorStatusName, type TraceDocument } from '../../../core/api/commands/debug-commands';
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

/** A table's differences as a trace document carries them; `changedColumns`: the rows each changed column differs in. */
const difference = (table: string, maxAbsDiff: Record<string, number>, changedColumns: Record<string, number> = {}) => {
  const changed = Math.max(0, ...Object.values(changedColumns));
  return {
    table,
    storedRows: Math.max(1, changed),
    computedRows: Math.max(1, changed),
    added: [],
    removed: [],
    changed: Array.from({ length: changed }, (_, i) => ({ key: `k${i}`, columns: Object.entries(changedColumns).filter(([, n]) => i < n).map(([column]) => ({ column, stored: 1, computed: 2, absDiff: null })) })),
    maxAbsDiff,
    changedColumns,
  };
};

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

/** A date phase's document (DATE/date/PHASE.json): what it read, the rows it computed and the stored ones. */
const datePhaseDoc = (phase: string, inputs: unknown, table: string | null): TraceDocument => ({
  file: `${DATE}/date/${phase}.json`,
  date: DATE,
  portfolioId: null,
  phase,
  document: { date: DATE, portfolio_id: null, phase, inputs, outputs: table ? { [table]: [{ key: `["${phase}"]`, values: {} }] } : {}, stored: table ? { [table]: [] } : {}, differences: [], rows_before_phase: {}, money_columns: [] },
});

const portfolioSummary = (id: string): TraceDocument => ({ file: `${DATE}/${id}/summary.json`, date: DATE, portfolioId: id, phase: 'summary', document: { status: 'same', differences: [] } });
const monitorReport: TraceDocument = { file: 'monitor-report.json', date: null, portfolioId: null, phase: 'monitor-report', document: { clean: true } };

type Status = MonitorStatusName;
const counts = (statuses: Status[]) => ({ compared: statuses.filter((x) => x !== 'not_run').length, ...Object.fromEntries(monitorStatusSchema.options.map((k) => [k, statuses.filter((x) => x === k).length])) });

/**
 * The monitor report (core/engine/monitor-recorder.ts) of one date: its date-level status, then
 * each portfolio-date's (one not run names market_data as the date phase that failed first).
 */
const monitorOf = (dateLevel: Status, portfolios: [string, Status][]) => ({
  schema: 'batchdesk.monitor/1',
  tolerances: { money: 0.01, ratio: 1e-6 },
  clean: dateLevel === 'same' && portfolios.every(([, x]) => x === 'same'),
  entries_compared: 1 + portfolios.filter(([, x]) => x !== 'not_run').length,
  date_level: counts([dateLevel]),
  portfolio_dates: counts(portfolios.map(([, x]) => x)),
  entries: [
    { date: DATE, portfolio_id: null, status: dateLevel, tables: [] },
    ...portfolios.map(([id, status]) => ({ date: DATE, portfolio_id: id, status, tables: [], ...(status === 'not_run' ? { date_failed_phase: 'market_data' } : {}) })),
  ],
});

const output = (documents: TraceDocument[], extra: Record<string, unknown> = {}) => ({
  state: 'completed',
  exitCode: 0,
  batchRunId: 'batch_20250715_230000_d716',
  nothingToRun: null,
  monitor: monitorOf('same', [
    [GROWTH, 'same'],
    [PRIVATE, 'same'],
  ]),
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
    const snapshots = difference('portfolio_snapshots', { cash_value: 0, daily_return: 0.0001234566999999999, hhi: 0, total_value: 21.834100000094622, num_positions: 0 }, { daily_return: 1, total_value: 1 });
    renderDebug(() => output([phaseDoc('snapshots', [snapshots], ['cash_value', 'total_value'])]));
    const table = await screen.findByTestId('debug-differences');
    const cell = within(table).getAllByRole('row')[1]!.querySelectorAll('td')[6]!;
    expect([...cell.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['daily_return 0.000123457, changed in 1 row', 'total_value 21.83, changed in 1 row', '0 in the other 3 columns']);
    expect(cell.textContent).not.toContain('{');
  });

  it('a number that differs only within the comparison\'s tolerance is not listed as a difference: it says "within tolerance" and names the tolerance', async () => {
    // As the real comparison reports a sub-cent drift of the unrounded P&L (core/validation/row-diff.ts):
    // its largest difference is kept, but no row changed, so the table counts no change.
    const snapshots = difference('portfolio_snapshots', { cash_value: 0, cumulative_pnl: 0, cumulative_pnl_raw: 0.0031000000052154064, daily_return: 4.2e-7, total_value: 0 });
    renderDebug(() => output([phaseDoc('snapshots', [snapshots], ['cash_value', 'cumulative_pnl', 'cumulative_pnl_raw', 'total_value'])]));
    const row = within(await screen.findByTestId('debug-differences')).getAllByRole('row')[1]!;
    expect(row.className).not.toBe('changed');
    const cell = row.querySelectorAll('td')[6]!;
    expect([...cell.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'cumulative_pnl_raw 0.0031: within the tolerance of 0.01',
      'daily_return 4.2e-7: within the tolerance of 0.000001',
      '0 in the other 3 columns',
    ]);
    expect(within(cell).getAllByTestId('diff-within-tolerance').every((li) => li.classList.contains('muted'))).toBe(true);
  });

  it('a column beyond tolerance in some rows is a difference, with its rows, next to one within tolerance', async () => {
    const snapshots = difference('portfolio_snapshots', { cumulative_pnl_raw: 0.004, total_value: 0.5 }, { total_value: 2 });
    renderDebug(() => output([phaseDoc('snapshots', [snapshots], ['cumulative_pnl_raw', 'total_value'])]));
    const cell = within(await screen.findByTestId('debug-differences')).getAllByRole('row')[1]!.querySelectorAll('td')[6]!;
    expect([...cell.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['total_value 0.50, changed in 2 rows', 'cumulative_pnl_raw 0.004: within the tolerance of 0.01']);
  });

  it('names the text and date columns that changed, so "Changed 9" never stands next to "0 in all columns"', async () => {
    const marks = difference('positions.mark', { last_price: 0, market_value: 0, unrealized_pnl: 0 }, { price_date: 9, price_source: 2 });
    renderDebug(() => output([phaseDoc('marks', [marks], ['market_value', 'unrealized_pnl'])]));
    const row = within(await screen.findByTestId('debug-differences')).getAllByRole('row')[1]!;
    const cells = row.querySelectorAll('td');
    expect(cells[5]!.textContent).toBe('9');
    expect([...cells[6]!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['price_date changed in 9 rows', 'price_source changed in 2 rows', '0 in the other 3 columns']);
    expect(cells[6]!.textContent).not.toContain('0 in all');
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

  it('the date-level card shows the inputs each date phase read, and the rows they computed', async () => {
    const marketData = datePhaseDoc('market_data', { symbols: { SPY: { price: { price: 512.3, date: DATE, source: 'exact' } } } }, 'missing_prices');
    const fundamentals = datePhaseDoc('fundamentals', { profiles: { AAPL: { sector: 'Technology' } } }, null);
    const symbolStage = datePhaseDoc('analytics', { symbols: { AAPL: { profile_beta: 1.2 } } }, 'symbol_factor_exposures');
    renderDebug(() => output([symbolStage, dateSummary, fundamentals, marketData, phaseDoc('marks')]));
    const card = await screen.findByTestId('debug-phase-date');
    // One date-level card, before the portfolios' phases.
    expect([...screen.getByTestId('debug-result').querySelectorAll('article')].map((a) => a.getAttribute('data-testid'))).toEqual(['debug-phase-date', 'debug-phase-marks']);
    expect([...card.querySelectorAll('summary')].map((x) => x.firstChild!.textContent!.trim())).toEqual([
      'Inputs read: market data',
      'Inputs read: fundamentals',
      'Inputs read: analytics symbol stage',
      'Rows computed',
      'Stored rows',
      'Coverage and fallbacks',
    ]);
    const block = (label: string) => within(card).getByText(label).closest('details')!.querySelector('pre')!.textContent!;
    expect(JSON.parse(block('Inputs read: market data'))).toEqual({ symbols: { SPY: { price: { price: 512.3, date: DATE, source: 'exact' } } } });
    expect(Object.keys(JSON.parse(block('Rows computed')))).toEqual(['missing_prices', 'symbol_factor_exposures']);
    // The differences stay the date's summary's.
    expect(within(card).getAllByRole('row').map((r) => r.querySelector('td')?.textContent).slice(1)).toEqual(['missing_prices', 'symbol_factor_exposures']);
  });

  it('the coverage block gives its real size, not "0 KiB"', async () => {
    renderDebug(() => output([dateSummary]));
    const card = await screen.findByTestId('debug-phase-date');
    const bytes = new TextEncoder().encode(JSON.stringify((dateSummary.document as { computed: unknown }).computed, null, 2)).length;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(512);
    expect(within(card).getByText('Coverage and fallbacks').closest('summary')!.textContent).toBe(`Coverage and fallbacks (${bytes} B)`);
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

  it('shows the portfolios in the order of the portfolio list, whichever phase each was traced from first', async () => {
    // The private portfolio's first traced phase (marks) comes before the growth one's (analytics) in pipeline order.
    const ofPrivate = (phase: string): TraceDocument => ({ ...phaseDoc(phase), file: `${DATE}/${PRIVATE}/${phase}.json`, portfolioId: PRIVATE });
    renderDebug(() => output([dateSummary, ofPrivate('marks'), phaseDoc('analytics'), ofPrivate('analytics')]));
    await screen.findByRole('region', { name: 'Demo Family Office Private Opportunities' });
    const sections = [...screen.getByTestId('debug-result').querySelectorAll('section')].map((x) => x.getAttribute('aria-label'));
    expect(sections).toEqual(['Date-level phases', 'Demo Family Office Public Growth', 'Demo Family Office Private Opportunities']);
  });
});

/** A phase document whose inputs carry the phase's outcome, as the engine traces it. */
const withOutcome = (doc: TraceDocument, outcome: Record<string, unknown>): TraceDocument => {
  const d = doc.document as Record<string, unknown>;
  return { ...doc, document: { ...d, inputs: { ...(d['inputs'] as object), outcome: { error: null, metrics: {}, ...outcome } } } };
};

describe('Debug screen phase outcome', () => {
  const NO_SNAPSHOT = 'Demo Family Office Public Growth has no snapshot for 2025-08-14 (latest before 2025-08-15: 2025-08-13); blocked by 2025-08-14: run that date first';
  const summaries = (card: HTMLElement) => [...card.querySelectorAll('summary')].map((x) => x.firstChild!.textContent!.trim());

  it('a failed phase leads its card with its status, reason and error, and compares nothing: its rows were not computed', async () => {
    // As the real host returns it: the rows read after the failed phase equal the stored ones.
    const snapshots = withOutcome(phaseDoc('snapshots', [difference('portfolio_snapshots', { total_value: 0, cash_value: 0 })]), { status: 'failed', reason: 'previous_day_missing', error: NO_SNAPSHOT });
    renderDebug(() => output([snapshots], { state: 'failed', exitCode: 1 }));
    const card = await screen.findByTestId('debug-phase-snapshots');
    const outcome = within(card).getByTestId('debug-phase-outcome');
    // At the top of the card, under its title, marked as a failure.
    expect(card.querySelector('h3')!.nextElementSibling).toBe(outcome);
    expect(outcome.className).toContain('bad');
    expect(outcome.querySelector('p')!.textContent).toBe(`Failed: no snapshot of the previous trading day (previous_day_missing): ${NO_SNAPSHOT}`);
    expect(outcome.textContent).toContain('The phase failed, so its rows were not computed');
    // No "1 1 0 0 0 · 0 in all columns" comparison, and no "Rows computed" that are not its output.
    expect(within(card).queryByTestId('debug-differences')).toBeNull();
    expect(within(card).queryByText(/0 in all/)).toBeNull();
    expect(summaries(card)).toEqual(['Inputs read', 'Rows after the phase (not its output)', 'Stored rows']);
  });

  it.each([
    ['skipped', 'insufficient_marks', 'Skipped: too many unmarked positions for the coverage guard (insufficient_marks)', 'The phase was skipped, so its rows were not computed'],
    ['not_applicable', 'no_positions', 'Not applicable: no positions on the date (no_positions)', 'The phase did not apply, so its rows were not computed'],
  ])('a %s phase says so at the top of its card, apart from a failure, and compares nothing', async (status, reason, line, note) => {
    renderDebug(() => output([withOutcome(phaseDoc('analytics'), { status, reason })]));
    const card = await screen.findByTestId('debug-phase-analytics');
    const outcome = within(card).getByTestId('debug-phase-outcome');
    expect(outcome.className).toContain('warn');
    expect(outcome.querySelector('p')!.textContent).toBe(line);
    expect(outcome.textContent).toContain(note);
    expect(within(card).queryByTestId('debug-differences')).toBeNull();
  });

  it('a phase that succeeded keeps its comparison, under a compact status line', async () => {
    renderDebug(() => output([withOutcome(phaseDoc('marks'), { status: 'success', reason: null })]));
    const card = await screen.findByTestId('debug-phase-marks');
    const outcome = within(card).getByTestId('debug-phase-outcome');
    expect(outcome.textContent).toBe('Succeeded');
    expect(outcome.className).not.toMatch(/bad|warn/);
    expect(within(card).getByTestId('debug-differences')).toBeTruthy();
    expect(summaries(card)).toEqual(['Inputs read', 'Rows computed', 'Stored rows']);
  });

  it("the date-level card leads with each date phase's outcome, a failed one marked with its reason", async () => {
    const marketData = withOutcome(datePhaseDoc('market_data', { symbols: {} }, 'missing_prices'), { status: 'failed', reason: 'insufficient_price_coverage', error: 'coverage 40% below 95%' });
    const fundamentals = withOutcome(datePhaseDoc('fundamentals', { profiles: {} }, null), { status: 'success', reason: null });
    renderDebug(() => output([dateSummary, fundamentals, marketData], { state: 'failed', exitCode: 1 }));
    const card = await screen.findByTestId('debug-phase-date');
    const outcomes = within(card).getAllByTestId('debug-phase-outcome');
    expect(outcomes.map((o) => o.querySelector('strong')?.textContent ?? o.textContent)).toEqual(['market data: Failed', 'fundamentals: Succeeded']);
    expect(outcomes[0]!.className).toContain('bad');
    expect(outcomes[0]!.querySelector('p')!.textContent).toBe('market data: Failed: too few symbols with a usable close (insufficient_price_coverage): coverage 40% below 95%');
    expect(outcomes[0]!.textContent).toContain('The phase failed, so its rows were not computed: the rows computed below are not its output.');
  });
});

describe('Debug screen verdict', () => {
  const verdict = () => screen.getByTestId('debug-result').querySelector('[role=status]')!.textContent;
  const statuses = () => screen.getAllByTestId('debug-scope-status').map((x) => [x.closest('section')!.getAttribute('aria-label'), x.textContent]);

  it('a failing date counts its portfolio-dates, apart from the date-level rows, as the sections show them', async () => {
    // The failed date as the real host returns it (test/host/handlers/debug-failures.test.ts):
    // nothing stored for the date-level rows; each portfolio-date's snapshots failed after its
    // marks were computed, and its marks card shows them.
    const monitor = monitorOf('new', [
      [GROWTH, 'failed'],
      [PRIVATE, 'failed'],
    ]);
    const marksOf = (id: string): TraceDocument => ({ ...phaseDoc('marks', [{ ...difference('position_marks', {}), storedRows: 0, computedRows: 12, added: ['a'] }]), file: `${DATE}/${id}/marks.json`, portfolioId: id });
    renderDebug(() => output([dateSummary, marksOf(GROWTH), marksOf(PRIVATE)], { state: 'failed', exitCode: 1, monitor, failures: [`${DATE} snapshots[9381dd8d]: no snapshot for 2025-07-09`] }));
    await screen.findByTestId('debug-failures');
    expect(verdict()).toBe('Monitor-only run batch_20250715_230000_d716: failed, exit code 1 (some dates failed or are partial). Date-level rows: new (nothing stored yet). Portfolio-dates (2): 2 failed (rolled back).');
    expect(statuses()).toEqual([
      ['Date-level phases', 'new (nothing stored yet)'],
      ['Demo Family Office Public Growth', 'failed (rolled back)'],
      ['Demo Family Office Private Opportunities', 'failed (rolled back)'],
    ]);
  });

  it("a date whose market data failed says its portfolio-dates were not run, naming the phase, not that they failed", async () => {
    // Nothing of them ran, so they have no trace documents and no sections of their own.
    const monitor = monitorOf('failed', [
      [GROWTH, 'not_run'],
      [PRIVATE, 'not_run'],
    ]);
    renderDebug(() => output([{ ...dateSummary, document: { ...(dateSummary.document as object), status: 'failed' } }], { state: 'failed', exitCode: 1, monitor, failures: [`${DATE} market_data: provider down`] }));
    await screen.findByTestId('debug-failures');
    expect(verdict()).toBe(
      "Monitor-only run batch_20250715_230000_d716: failed, exit code 1 (some dates failed or are partial). Date-level rows: failed (rolled back). 2 portfolio-dates not run: the date's market data phase failed before them, so nothing of them was compared.",
    );
    expect(statuses()).toEqual([['Date-level phases', 'failed (rolled back)']]);
  });

  it('counts differing, new and same portfolio-dates in words that agree with their sections', async () => {
    const monitor = monitorOf('same', [
      [GROWTH, 'different'],
      [PRIVATE, 'new'],
    ]);
    renderDebug(() => output([dateSummary, phaseDoc('marks'), { ...phaseDoc('marks'), file: `${DATE}/${PRIVATE}/marks.json`, portfolioId: PRIVATE }], { exitCode: 4, monitor }));
    await screen.findAllByTestId('debug-phase-marks');
    expect(verdict()).toContain('exit code 4 (a check failed: the monitor-only comparison found results that are not the same as stored). Date-level rows: the same as stored. Portfolio-dates (2): 1 differs from the stored results, 1 new (nothing stored yet).');
    expect(statuses()).toEqual([
      ['Date-level phases', 'the same as stored'],
      ['Demo Family Office Public Growth', 'differ from the stored results'],
      ['Demo Family Office Private Opportunities', 'new (nothing stored yet)'],
    ]);
  });

  it('a date on which nothing runs says so with the engine\'s reason, without a run line or "no trace documents"', async () => {
    const reason = 'no portfolio in scope is processed on the requested dates (portfolio-dates left out: 5 before first entry)';
    renderDebug(() => output([], { batchRunId: null, monitor: null, nothingToRun: reason }));
    await screen.findByTestId('debug-result');
    expect(verdict()).toBe(`Nothing to run on ${DATE}: ${reason}`);
    expect(screen.getByTestId('debug-result').textContent).not.toContain('Monitor-only run');
    expect(screen.queryByText('No trace documents')).toBeNull();
  });

  it('a run without a run id prints none, and no stray colon', async () => {
    renderDebug(() => output([dateSummary], { batchRunId: null }));
    await screen.findByTestId('debug-phase-date');
    expect(verdict()).toMatch(/^Monitor-only run: completed, exit code 0 \(success\)\. /);
  });

  it('a clean run says nothing differs, for the date-level rows and every portfolio-date', async () => {
    renderDebug(() => output([dateSummary, phaseDoc('marks')]));
    await screen.findByTestId('debug-phase-marks');
    expect(verdict()).toContain('exit code 0 (success). Nothing differs from the stored results: the date-level rows and 2 portfolio-dates are the same.');
  });
});

describe('Debug screen refusals', () => {
  it('without a date, says next to the disabled button that a date is needed', async () => {
    const transport = new RefusingTransport({ listPortfolios: () => ({ portfolios: PORTFOLIOS }), debugDate: () => output([]) }, {});
    const client = new EngineClient(transport);
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <DebugScreen />
      </ServicesProvider>,
    );
    const button = screen.getByTestId('debug-run') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const hint = screen.getByTestId('debug-date-needed');
    expect(hint.textContent).toBe('Choose a date to debug.');
    expect(button.getAttribute('aria-describedby')).toBe(hint.id);
    fireEvent.change(screen.getByTestId('debug-date'), { target: { value: DATE } });
    expect(button.disabled).toBe(false);
    expect(screen.queryByTestId('debug-date-needed')).toBeNull();
    expect(button.getAttribute('aria-describedby')).toBeNull();
  });

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

  /* A weekend was refused only by the engine, after "Running monitor-only..." showed for a moment. */
  it('a Saturday or Sunday is said under the fields as soon as it is chosen, and nothing is sent; a holiday is the engine\'s to refuse', async () => {
    const transport = new RefusingTransport({ listPortfolios: () => ({ portfolios: PORTFOLIOS }), debugDate: () => output([]) }, {});
    const client = new EngineClient(transport);
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <DebugScreen initialDate="2025-07-05" />
      </ServicesProvider>,
    );
    const field = screen.getByTestId('debug-date');
    const button = screen.getByTestId('debug-run') as HTMLButtonElement;
    const message = screen.getByTestId('debug-date-error');
    expect(message.textContent).toBe('2025-07-05 is not a trading day: it is a Saturday.');
    expect(message.getAttribute('role')).toBe('alert');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(message.id);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe(message.id);
    fireEvent.submit(button.closest('form')!);
    fireEvent.change(field, { target: { value: '2025-07-06' } });
    expect(screen.getByTestId('debug-date-error').textContent).toBe('2025-07-06 is not a trading day: it is a Sunday.');
    // Independence Day, a Friday: the engine's calendar says so, not the form.
    fireEvent.change(field, { target: { value: '2025-07-04' } });
    expect(screen.queryByTestId('debug-date-error')).toBeNull();
    expect(field.getAttribute('aria-invalid')).toBeNull();
    expect(button.disabled).toBe(false);
    expect(transport.calls.filter((c) => c.name === 'debugDate')).toEqual([]);
  });

  it("the date's message spans the form under its fields, breaking at spaces only, and keeps the form's width", async () => {
    renderDebug(() => output([]), usageError('debugDate', 'targetDate', '--target-date 2025-08-16 is not a trading day; the previous trading day is 2025-08-15'));
    const message = await screen.findByTestId('debug-date-error');
    // A line of the form of its own, after the fields: not inside the date's narrow column.
    expect(message.parentElement!.tagName).toBe('FORM');
    expect(message.parentElement!.lastElementChild).toBe(message);
    // Layout is the browser's: the rule that gives it is checked here (the e2e pass sees it).
    const css = readFileSync(resolve(import.meta.dirname, '../../../renderer/styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const rules = [...css.matchAll(/([^{}]*\.field-error[^{}]*)\{([^}]*)\}/g)];
    expect(rules.map((r) => r[1]!.trim())).toEqual(['.filters > .field-error']);
    const rule = rules[0]![2]!;
    // The form's width: a whole line of the wrapping form, with no min-content width to widen it.
    expect(rule).toMatch(/flex:\s*0 0 100%/);
    expect(rule).toMatch(/min-width:\s*0[;\s]/);
    // A date is never broken mid-token ("2025-08-" / "16"): no break-anywhere, no zero width.
    expect(rule).not.toMatch(/overflow-wrap|word-break|(^|[;\s])width:/);
  });

  it('a locked database says who holds the lock and since when, in the app\'s time format, without "Try again"', async () => {
    const held = 'the database is locked by another run (cli pid 4242 on desk-7, run batch_20250715_220000_a1b2, since 2025-07-15T22:00:00.000000Z, last heartbeat 2025-07-15T22:05:00Z); wait for it to finish or stop it with `batchdesk cancel`';
    renderDebug(() => output([]), { code: 'locked', message: held });
    const alert = await screen.findByTestId('debug-locked');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe(
      'Not run: the database is locked by another run (cli pid 4242 on desk-7, run batch_20250715_220000_a1b2, since 2025-07-15 22:00:00, last heartbeat 2025-07-15 22:05:00); wait for it to finish or stop it with `batchdesk cancel`',
    );
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

  it('a run partial only because the coverage guard skipped analytics says so, names the portfolio, and is no failure', async () => {
    // As the engine makes it: no phase failed (no reasons), the analytics of one portfolio-date skipped with insufficient_marks.
    const skipped = withOutcome({ ...phaseDoc('analytics'), file: `${DATE}/${PRIVATE}/analytics.json`, portfolioId: PRIVATE }, { status: 'skipped', reason: 'insufficient_marks' });
    renderDebug(() => output([phaseDoc('marks'), skipped], { state: 'partial', exitCode: 1, failures: [] }));
    const note = await screen.findByTestId('debug-failures');
    await within(note).findByText(/Demo Family Office Private Opportunities/);
    expect(note.textContent).toBe('The monitor-only run completed, but analytics was skipped by the coverage guard for 1 portfolio (Demo Family Office Private Opportunities): the rows below are those of the phases that ran.');
    expect(note.className).toContain('warn');
    expect(note.getAttribute('role')).toBeNull();
  });
});
