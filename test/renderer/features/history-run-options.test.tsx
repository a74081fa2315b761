// @vitest-environment happy-dom
/**
 * The History screen's runs table says each run's options in words, not as the stored keys
 * (`chunkDays=0 guard=true triggeredBy=cli`, `resume=<uuid> resumed_run_id=<uuid>`): a resume
 * names the run it continues by the batch run id the rest of the app shows, when the runs read
 * has it, else by the start of its id. The whole text is the cell's tooltip.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { HistoryScreen } from '../../../renderer/features/history/history-screen';
import { runOptionsWords } from '../../../renderer/features/history/run-options-words';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport } from '../../support/app/fake-transport';

beforeEach(fakeLayout);
afterEach(cleanup);

/** What a run stores (the parsed run options, every default included). */
const DEFAULTS = { portfolios: [], phases: [], withPrerequisites: false, chunkDays: 0, retryFailedPhases: false, dryRun: false, monitorOnly: false, allowMixedSources: false, guard: true, ignoreGate: false, triggeredBy: 'cli' };
const FIRST = '0b6c2a51-7d0e-4c1a-9f3e-2a7b1c9d8e01';
const GONE = '7f1e9d2c-3b4a-4c5d-8e6f-9a0b1c2d3e4f';

const run = (id: string, batchRunId: string, mode: string, options: unknown) => ({ id, batchRunId, status: 'completed', mode, triggeredBy: 'cli', startedAt: '2026-11-27T22:58:00Z', completedAt: '2026-11-27T23:00:00Z', totalJobs: 3, completedJobs: 3, failedJobs: 0, partialDates: 0, durationSeconds: 120, options });

describe('the runs table options', () => {
  it('are words, a resume named by its batch run id', async () => {
    const runs = [
      run('r3', 'batch_20261127_230500_c3d4', 'resume', { ...DEFAULTS, triggeredBy: 'app', resume: GONE, resumed_run_id: GONE }),
      run('r2', 'batch_20261127_230000_b2c3', 'resume', { ...DEFAULTS, triggeredBy: 'serve', resume: 'latest', resumed_run_id: FIRST }),
      run(FIRST, 'batch_20261127_225800_a1b2', 'normal', { ...DEFAULTS, startDate: '2025-07-01', endDate: '2025-07-15', chunkDays: 7, guard: false, phases: ['market_data', 'marks'] }),
    ];
    const client = new EngineClient(
      new FakeTransport({
        getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] }),
        listRuns: () => ({ runs }),
      }),
    );
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <HistoryScreen />
      </ServicesProvider>,
    );
    const table = await screen.findByTestId('runs-table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    const cells = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('gridcell').at(-1)!);
    expect(cells.map((c) => c.textContent)).toEqual([
      'resumes 7f1e9d2c, chunk size: one chunk, guard after the run: on, started from: app',
      'resumes batch_20261127_225800_a1b2, chunk size: one chunk, guard after the run: on, started from: browser',
      'dates 2025-07-01 to 2025-07-15, phases: market data, marks, chunk size: 7 days, guard after the run: off, started from: CLI',
    ]);
    expect(cells.map((c) => c.getAttribute('title'))).toEqual(cells.map((c) => c.textContent));
    expect(cells.some((c) => /[a-z]=|_id|chunkDays|triggeredBy/.test(c.textContent ?? ''))).toBe(false);
  });

  it('say the other options in words too', () => {
    expect(runOptionsWords({ ...DEFAULTS, targetDate: '2025-08-15', portfolios: [FIRST], retryFailedPhases: true, marketData: 'offline', maxMissingMarks: 0.05, ignoreGate: true, monitorOnly: true, trace: 'out.json' })).toEqual([
      'date 2025-08-15',
      'retry failed phases',
      'portfolio: 0b6c2a51',
      'chunk size: one chunk',
      'monitor only',
      'trace: out.json',
      'prices: offline',
      'guard after the run: on',
      'coverage guard: at most 5% missing marks',
      'regression gate ignored',
      'started from: CLI',
    ]);
    expect(runOptionsWords({ some_new_flag: true, max_rows: 3 })).toEqual(['some new flag', 'max rows: 3']);
    expect(runOptionsWords(null)).toEqual([]);
  });
});
