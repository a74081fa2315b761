// @vitest-environment happy-dom
/**
 * A lock refusal names when its holder took the lock and last wrote its heartbeat; the app
 * shows those times as it shows every other time ("2026-11-27 23:02:41", fmtTimestamp), not
 * in the stored ISO form ("2026-11-27T23:02:41.870000Z"): under the Data screen's backup, in
 * any error state, and in the Run plan's warning that a run now would be refused. A command
 * the message quotes stays as printed.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunStatus } from '../../../core/api/commands/run-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { errorText, EngineError } from '../../../renderer/engine-client/engine-error';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { withAppTimes } from '../../../renderer/ui/format';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';
import { RefusingTransport } from '../refusing-transport';

afterEach(cleanup);

const LOCKED = 'the database is locked by another run (cli pid 15956 on vm, run batch_20261127_230241_e23b, since 2026-11-27T23:02:41.870000Z, last heartbeat 2026-11-27T23:04:41Z); wait for it to finish or stop it with `batchdesk cancel --db /data/portfolios.sqlite`';
const LOCKED_IN_APP_TIMES = 'the database is locked by another run (cli pid 15956 on vm, run batch_20261127_230241_e23b, since 2026-11-27 23:02:41, last heartbeat 2026-11-27 23:04:41); wait for it to finish or stop it with `batchdesk cancel --db /data/portfolios.sqlite`';

describe('withAppTimes', () => {
  it('shows each stored timestamp of a message as the app shows times, and leaves dates and the rest alone', () => {
    expect(withAppTimes(LOCKED)).toBe(LOCKED_IN_APP_TIMES);
    expect(withAppTimes('no close on 2026-11-27 for run batch_20261127_230241_e23b')).toBe('no close on 2026-11-27 for run batch_20261127_230241_e23b');
  });

  it('is how errorText says an engine error, a quoted command kept as printed', () => {
    expect(errorText(new EngineError({ code: 'locked', message: LOCKED }))).toBe(LOCKED_IN_APP_TIMES.charAt(0).toUpperCase() + LOCKED_IN_APP_TIMES.slice(1));
    expect(errorText(new EngineError({ code: 'locked', message: 'held: `batchdesk history --since 2026-11-27T23:02:41Z`' }))).toBe('Held: `batchdesk history --since 2026-11-27T23:02:41Z`');
  });
});

describe('a lock refusal in the app', () => {
  it("under the Data screen's Back up now", async () => {
    const transport = new RefusingTransport(
      {
        getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
        listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
      },
      { createBackup: { code: 'locked', message: LOCKED } },
    );
    renderDataScreen(transport);
    fireEvent.click(await screen.findByTestId('backup-now'));
    await waitFor(() => expect(screen.getByTestId('backup-message').textContent).toBe(LOCKED_IN_APP_TIMES.charAt(0).toUpperCase() + LOCKED_IN_APP_TIMES.slice(1)));
  });

  it("in the Run plan's warning that a run now would be refused", async () => {
    const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };
    const transport = new FakeTransport({
      listPortfolios: () => ({ portfolios: [] }),
      getSettings: () => ({ settings: [], extra: {} }),
      getRunStatus: () => IDLE,
      getOtherProcessRun: () => ({ run: null }),
      listRuns: () => ({ runs: [] }),
      getGate: () => ({ gate: null }),
      planRun: () => ({
        plan: {
          target_date: '2026-11-27',
          mode: 'normal',
          up_to_date: null,
          chunks: [{ index: 0, dates: 1 }],
          dates: [{ date: '2026-11-27', date_phases: ['market_data'], portfolios: [], skipped: [] }],
          warnings: [`a run now would be refused: ${LOCKED}`],
          refused_by: ['locked'],
        },
      }),
    });
    const client = new EngineClient(transport);
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <NavigationContext.Provider value={{ route: { screen: 'run', params: {} }, navigate: vi.fn() }}>
          <RunScreen />
        </NavigationContext.Provider>
      </ServicesProvider>,
    );
    fireEvent.click(screen.getByTestId('run-preview'));
    const plan = await screen.findByTestId('plan-preview');
    expect(plan.querySelector('.warnings')?.textContent).toBe(`a run now would be refused: ${LOCKED_IN_APP_TIMES}`);
  });
});
