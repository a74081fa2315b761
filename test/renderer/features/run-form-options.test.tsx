// @vitest-environment happy-dom
/**
 * The Run form's options (SPEC.md g.1: the app's run dialog produces the CLI's options object):
 *   - the Advanced group sets the option model's implied volatility and risk-free rate and
 *     "no guard" (the regression guard after the run), and the run started gets the options
 *     `batchdesk run` makes of the same flags; there is no ignore-gate (a closed gate
 *     disables starting in the app, host/handlers/app-advice.ts);
 *   - every value out of its contract range gets the form's own message (the browser's
 *     min/step/max checks would block the submit without a word), and nothing is sent.
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

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };
const plan = { plan: { target_date: '2026-04-15', mode: 'normal', up_to_date: null, chunks: [{ index: 0, dates: 1 }], dates: [{ date: '2026-04-15', date_phases: ['market_data'], portfolios: [{ portfolio_id: 'p1', phases: ['marks'] }], skipped: [] }], warnings: [], refused_by: [] } };

function renderRun(): FakeTransport {
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getSettings: () => ({ settings: [{ key: 'options.implied_vol', value: 0.3, source: 'default' }], extra: {} }),
    getRunStatus: () => IDLE,
    getOtherProcessRun: () => ({ run: null }),
    listRuns: () => ({ runs: [] }),
    getGate: () => ({ gate: null }),
    planRun: () => plan,
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

  it('several at once are each said', async () => {
    renderRun();
    change(/Chunk size/, '-1');
    change(/Coverage guard/, '2');
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk). The coverage guard is a fraction between 0 and 1.'));
  });
});
