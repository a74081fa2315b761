// @vitest-environment happy-dom
/**
 * The Run form's options (SPEC.md g.1: the app's run dialog produces the CLI's options object):
 *   - the Advanced group sets the option model's implied volatility and risk-free rate and
 *     "no guard" (the regression guard after the run), and the run started gets the options
 *     `batchdesk run` makes of the same flags; there is no ignore-gate (a closed gate
 *     disables starting in the app, host/handlers/app-advice.ts);
 *   - every value out of its contract range, and text that is no number, gets the form's own
 *     message next to its field (the browser's min/step/max checks would block the submit
 *     without a word), and nothing is sent; the message goes once its field is fixed;
 *   - a date range ending before its start, a date after the latest settled date (the host's,
 *     from the tracking listing) and one outside the calendar's range (the contract's date
 *     schema) are said next to the date field as they are typed, before any preview, and
 *     nothing is sent; an empty end date's hint stands under the End date field;
 *   - the preview's plan table says why portfolios are skipped in words, counted by reason; a
 *     plan of other options than the form's now (invalid ones too) is dimmed under a heading
 *     saying so, and Start is off.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunStatus } from '../../../core/api/commands/run-commands';
import { runOptionsSchema } from '../../../core/api/run-options';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';
import { ruleOf } from '../stylesheet';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };
/** The latest settled date at the host's clock, as its tracking listing gives it. */
const SETTLED = '2026-04-15';
const plan = { plan: { target_date: '2026-04-15', mode: 'normal', up_to_date: null, chunks: [{ index: 0, dates: 1 }], dates: [{ date: '2026-04-15', date_phases: ['market_data'], portfolios: [{ portfolio_id: 'p1', phases: ['marks'] }], skipped: [] }], warnings: [], refused_by: [] } };

function renderRun(planned: unknown = plan): FakeTransport {
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getSettings: () => ({ settings: [{ key: 'options.implied_vol', value: 0.3, defaultValue: 0.3, stored: false, updatedAt: null }], extra: {} }),
    getRunStatus: () => IDLE,
    getOtherProcessRun: () => ({ run: null }),
    listRuns: () => ({ runs: [] }),
    getGate: () => ({ gate: null }),
    getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [], latestSettledDate: SETTLED, tradingDaysAfterLast: [] }),
    planRun: () => planned,
    startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', startedAt: '2026-04-16T08:00:00.000Z', runId: 'run-1', batchRunId: 'batch_1', datesPlanned: 1 } }),
  });
  const client = new EngineClient(transport);
  const live = new LiveStore(client);
  render(
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'run', params: {} }, navigate: vi.fn() }}>
        <RunScreen />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return transport;
}

const change = (label: RegExp | string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

afterEach(cleanup);

describe('the Advanced group', () => {
  it('sets the option model and no guard as `batchdesk run` does; it has no ignore-gate', async () => {
    const transport = renderRun();
    fireEvent.click(screen.getByLabelText('Single date'));
    change('Date', '2026-04-15');
    change('Implied volatility (option model, for this run)', '0.25');
    change('Risk-free rate (option model, for this run)', '0.03');
    fireEvent.click(screen.getByLabelText('no guard: do not run the regression guard after the run'));
    expect(screen.queryByLabelText(/ignore.gate/i)).toBeNull();
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect((screen.getByTestId('run-start') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'startRun')).toBe(true));
    const sent = runOptionsSchema.parse(transport.calls.find((c) => c.name === 'startRun')!.input);
    // What `batchdesk run --target-date 2026-04-15 --implied-vol 0.25 --risk-free-rate 0.03 --no-guard` makes (cli/commands/run.ts), started from the app.
    expect(sent).toEqual(runOptionsSchema.parse({ targetDate: '2026-04-15', chunkDays: 0, impliedVol: 0.25, riskFreeRate: 0.03, guard: false, ignoreGate: false, triggeredBy: 'app' }));
  });

  it('left empty, the settings apply (and the placeholder says which)', async () => {
    const transport = renderRun();
    await waitFor(() => expect(screen.getByLabelText('Implied volatility (option model, for this run)').getAttribute('placeholder')).toBe('setting (0.3)'));
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'planRun')).toBe(true));
    const sent = runOptionsSchema.parse(transport.calls.find((c) => c.name === 'planRun')!.input);
    expect(sent.impliedVol).toBeUndefined();
    expect(sent.riskFreeRate).toBeUndefined();
    expect(sent.guard).toBe(true);
  });
});

describe('a value out of its range', () => {
  const cases: { label: RegExp | string; value: string; words: string }[] = [
    { label: /Chunk size/, value: '-1', words: 'Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).' },
    { label: /Chunk size/, value: '1.5', words: 'Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).' },
    { label: /Coverage guard/, value: '2', words: 'The coverage guard is a fraction between 0 and 1.' },
    { label: /Coverage guard/, value: '-0.1', words: 'The coverage guard is a fraction between 0 and 1.' },
    { label: 'Implied volatility (option model, for this run)', value: '0', words: 'Implied volatility is a number > 0 and <= 5 (0.30 for 30%), or empty for the setting.' },
    { label: 'Implied volatility (option model, for this run)', value: '6', words: 'Implied volatility is a number > 0 and <= 5 (0.30 for 30%), or empty for the setting.' },
    { label: 'Risk-free rate (option model, for this run)', value: '-0.6', words: 'The risk-free rate is a number from -0.5 to 1 (0.04 for 4%), or empty for the setting.' },
    { label: 'Risk-free rate (option model, for this run)', value: '1.5', words: 'The risk-free rate is a number from -0.5 to 1 (0.04 for 4%), or empty for the setting.' },
  ];
  for (const c of cases) {
    it(`${String(c.label)} = ${c.value} is said on the form, and nothing is planned`, async () => {
      const transport = renderRun();
      change(c.label, c.value);
      fireEvent.click(screen.getByTestId('run-preview'));
      await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(c.words));
      expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
    });
  }

  it('several at once are each said, next to its field', async () => {
    renderRun();
    change(/Chunk size/, '-1');
    change(/Coverage guard/, '2');
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).', 'The coverage guard is a fraction between 0 and 1.']));
    expect(screen.getByLabelText(/Chunk size/).getAttribute('aria-describedby')).toBe(screen.getByTestId('run-chunkDays-problem').id);
    expect(screen.getByLabelText(/Coverage guard/).getAttribute('aria-describedby')).toBe(screen.getByTestId('run-maxMissingMarks-problem').id);
  });
});

/*
 * A browser's number input gives the page an empty value for text it cannot parse ("0,3"), so
 * the form read it as "not given" and ran with the setting: the fields keep the text typed,
 * and text that is no number is said next to its field and blocks the preview.
 */
describe('text that is no number', () => {
  const cases: { label: RegExp | string; testId: string; value: string; words: string }[] = [
    { label: 'Implied volatility (option model, for this run)', testId: 'run-impliedVol-problem', value: '0,3', words: '"0,3" is not a number. Implied volatility is a number > 0 and <= 5 (0.30 for 30%), or empty for the setting.' },
    { label: 'Risk-free rate (option model, for this run)', testId: 'run-riskFreeRate-problem', value: '4%', words: '"4%" is not a number. The risk-free rate is a number from -0.5 to 1 (0.04 for 4%), or empty for the setting.' },
    { label: /Chunk size/, testId: 'run-chunkDays-problem', value: 'ten', words: '"ten" is not a number. Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).' },
    { label: /Coverage guard/, testId: 'run-maxMissingMarks-problem', value: '0x1', words: '"0x1" is not a number. The coverage guard is a fraction between 0 and 1.' },
  ];
  for (const c of cases) {
    it(`${String(c.label)} = ${c.value} is said next to the field, and nothing is planned`, async () => {
      const transport = renderRun();
      change(c.label, c.value);
      expect((screen.getByLabelText(c.label) as HTMLInputElement).value).toBe(c.value);
      fireEvent.click(screen.getByTestId('run-preview'));
      const problem = await screen.findByTestId(c.testId);
      expect(problem.textContent).toBe(c.words);
      expect(problem.getAttribute('role')).toBe('alert');
      expect(screen.getByLabelText(c.label).getAttribute('aria-invalid')).toBe('true');
      expect(screen.getByLabelText(c.label).getAttribute('aria-describedby')).toBe(problem.id);
      expect(transport.calls.filter((x) => x.name === 'planRun')).toEqual([]);
    });
  }

  it('a number with spaces around it, a sign or an exponent is a number', async () => {
    const transport = renderRun();
    change('Implied volatility (option model, for this run)', ' 0.25 ');
    change('Risk-free rate (option model, for this run)', '-4e-2');
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'planRun')).toBe(true));
    const sent = runOptionsSchema.parse(transport.calls.find((c) => c.name === 'planRun')!.input);
    expect([sent.impliedVol, sent.riskFreeRate]).toEqual([0.25, -0.04]);
  });
});

/* A message about a field lasted until the next Preview, after the field was fixed. */
describe('a message about a field', () => {
  it('goes as soon as its field is fixed, while the message of a field still wrong stays', async () => {
    renderRun();
    change('Implied volatility (option model, for this run)', 'abc');
    change(/Chunk size/, '-1');
    fireEvent.click(screen.getByTestId('run-preview'));
    await screen.findByTestId('run-impliedVol-problem');
    change('Implied volatility (option model, for this run)', '0.25');
    expect(screen.queryByTestId('run-impliedVol-problem')).toBeNull();
    expect(screen.getByLabelText('Implied volatility (option model, for this run)').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByTestId('run-chunkDays-problem').textContent).toBe('Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).');
    change(/Chunk size/, '5');
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });

  it('a date to choose goes once the date is chosen', async () => {
    renderRun();
    fireEvent.click(screen.getByLabelText('Single date'));
    fireEvent.click(screen.getByTestId('run-preview'));
    expect((await screen.findByTestId('run-targetDate-problem')).textContent).toBe('Choose the date.');
    change('Date', '2026-04-15');
    expect(screen.queryByTestId('run-targetDate-problem')).toBeNull();
  });
});

describe('the dates', () => {
  const range = (start: string, end: string) => {
    fireEvent.click(screen.getByLabelText('Date range'));
    change('Start date', start);
    change('End date', end);
  };

  it('an end date before the start date is said next to the end date, and nothing is planned', async () => {
    const transport = renderRun();
    range('2026-04-10', '2026-04-01');
    fireEvent.click(screen.getByTestId('run-preview'));
    const problem = await screen.findByTestId('run-endDate-problem');
    expect(problem.textContent).toBe('The end date is before the start date, 2026-04-10.');
    expect(screen.getByLabelText('End date').getAttribute('aria-describedby')).toBe(problem.id);
    expect(screen.queryByTestId('run-startDate-problem')).toBeNull();
    expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
  });

  it('a date after the latest settled date is said next to its field, and nothing is planned', async () => {
    const transport = renderRun();
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'getTracking')).toBe(true));
    range('2026-04-20', '2026-04-24');
    fireEvent.click(screen.getByTestId('run-preview'));
    expect((await screen.findByTestId('run-startDate-problem')).textContent).toBe('2026-04-20 is after the latest settled date, 2026-04-15: its close is not settled yet.');
    expect(screen.getByTestId('run-endDate-problem').textContent).toBe('2026-04-24 is after the latest settled date, 2026-04-15: its close is not settled yet.');
    fireEvent.click(screen.getByLabelText('Single date'));
    change('Date', '2026-04-16');
    expect(screen.getByTestId('run-targetDate-problem').textContent).toBe('2026-04-16 is after the latest settled date, 2026-04-15: its close is not settled yet.');
    expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
    change('Date', SETTLED);
    expect(screen.queryByTestId('run-targetDate-problem')).toBeNull();
  });

  /* The end before the start was said only after a Preview, while other date checks showed as typed. */
  it('each date check is said as the date is typed, before any preview; a date still to choose waits for the preview', async () => {
    const transport = renderRun();
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'getTracking')).toBe(true));
    fireEvent.click(screen.getByLabelText('Date range'));
    change('End date', '2026-04-01');
    expect(screen.queryAllByRole('alert')).toEqual([]);
    change('Start date', '2026-04-10');
    const problem = screen.getByTestId('run-endDate-problem');
    expect(problem.textContent).toBe('The end date is before the start date, 2026-04-10.');
    expect(screen.getByLabelText('End date').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('End date').getAttribute('aria-describedby')).toBe(problem.id);
    change('End date', '2026-04-20');
    expect(screen.getByTestId('run-endDate-problem').textContent).toBe('2026-04-20 is after the latest settled date, 2026-04-15: its close is not settled yet.');
    change('End date', '2026-04-14');
    expect(screen.queryAllByRole('alert')).toEqual([]);
    expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
  });

  /* A date outside the calendar was sent, and the engine's refusal showed at the foot of the form. */
  it('a date outside the calendar range is said next to its field as it is typed, in the contract\'s words, and nothing is planned', async () => {
    const transport = renderRun();
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'getTracking')).toBe(true));
    range('1999-12-31', '2031-01-02');
    expect(screen.getByTestId('run-startDate-problem').textContent).toBe('1999-12-31: outside the calendar range 2000-01-01..2030-12-31.');
    expect(screen.getByTestId('run-endDate-problem').textContent).toBe('2031-01-02: outside the calendar range 2000-01-01..2030-12-31.');
    fireEvent.click(screen.getByTestId('run-preview'));
    fireEvent.click(screen.getByLabelText('Single date'));
    change('Date', '1999-12-31');
    expect(screen.getByTestId('run-targetDate-problem').textContent).toBe('1999-12-31: outside the calendar range 2000-01-01..2030-12-31.');
    change('Date', '2000-01-03');
    expect(screen.queryByTestId('run-targetDate-problem')).toBeNull();
    expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
  });

  it("an empty end date's hint stands under the End date field, not beside the row", () => {
    renderRun();
    fireEvent.click(screen.getByLabelText('Date range'));
    const field = screen.getByTestId('run-end-date-hint').closest('.field');
    expect(field?.contains(screen.getByTestId('run-end-date'))).toBe(true);
    expect(screen.getByTestId('run-end-date').getAttribute('aria-describedby')).toBe('run-end-date-hint');
  });
});

describe("the preview's plan table", () => {
  /* With options no longer valid, a Preview sent nothing and the earlier plan stayed, looking current. */
  it('a plan of other options than the form\'s now is dimmed under a heading saying so, and Start is off, until a preview of the form\'s options', async () => {
    const transport = renderRun();
    fireEvent.click(screen.getByLabelText('Single date'));
    change('Date', SETTLED);
    fireEvent.click(screen.getByTestId('run-preview'));
    const start = screen.getByTestId('run-start') as HTMLButtonElement;
    await waitFor(() => expect(start.disabled).toBe(false));
    const preview = screen.getByTestId('plan-preview');
    expect(preview.className).toBe('plan');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Plan (dry run)');
    change('Date', '1999-12-31');
    fireEvent.click(screen.getByTestId('run-preview'));
    expect(transport.calls.filter((c) => c.name === 'planRun')).toHaveLength(1);
    expect(screen.getByTestId('plan-preview').className).toBe('plan stale');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe("Plan of the earlier options (dry run): not the form's options now");
    expect(start.disabled).toBe(true);
    change('Date', SETTLED);
    expect(screen.getByTestId('plan-preview').className).toBe('plan');
    expect(start.disabled).toBe(false);
  });

  it('the stylesheet dims a stale plan but its heading', () => {
    expect(ruleOf('.plan.stale > :not(h2)')).toMatch(/opacity:\s*0\.5;/);
  });

  it('counts the skipped portfolios of a date by reason, in words with the code', async () => {
    const skipped = [
      { portfolio_id: 'p2', reason: 'before_first_entry' },
      { portfolio_id: 'p3', reason: 'before_first_entry' },
      { portfolio_id: 'p4', reason: 'up_to_date' },
    ];
    renderRun({ plan: { ...plan.plan, dates: [{ ...plan.plan.dates[0]!, skipped }] } });
    fireEvent.click(screen.getByTestId('run-preview'));
    const row = await screen.findByRole('row', { name: /2026-04-15/ });
    expect(row.textContent).toContain("2 portfolios: before the portfolio's first entry (before_first_entry); 1 portfolio: already up to date (up_to_date)");
  });
});
