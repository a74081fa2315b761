// @vitest-environment happy-dom
/**
 * Starting a run from the Run screen. A run the engine refuses at start reports no event,
 * only a failed run status (exit code, error, lock holder: SPEC.md g.9, m.16): the form stays
 * with the refusal under it, naming the holder, and the Live screen shows it too with the way
 * back to the form. The plan preview of a single date names that date; engine messages about
 * the options read in the form's words.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunStatus } from '../../../core/api/commands/run-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import type { ErrorShape } from '../../../core/api/errors';
import type { FakeHandler } from '../../support/app/fake-transport';
import { RefusingTransport, usageError } from '../refusing-transport';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };
const HOLDER = { kind: 'run', runId: 'held-by-cli', holder: 'cli', host: 'desk-7', pid: 4242, acquiredAt: '2026-11-27T22:58:00.000000Z', heartbeatAt: '2026-11-27T22:59:50.000000Z' };
const LOCKED: RunStatus = {
  ...IDLE,
  state: 'failed',
  startedAt: '2026-11-27T23:00:00.000Z',
  exitCode: 3,
  error: { code: 'locked', message: 'the database is locked by another run (cli pid 4242 on desk-7, run held-by-cli, since 2026-11-27T22:58:00.000000Z, last heartbeat 2026-11-27T22:59:50.000000Z); wait for it to finish or stop it with `batchdesk cancel`' },
  lockHolder: HOLDER,
};

const plan = (dates: string[]) => ({
  plan: {
    target_date: '2026-11-27',
    mode: 'normal',
    up_to_date: null,
    chunks: [{ index: 0, dates: dates.length }],
    dates: dates.map((date) => ({ date, date_phases: ['market_data'], portfolios: [{ portfolio_id: 'p1', phases: ['marks'] }], skipped: [] })),
    warnings: [],
  },
});

function renderRun(commands: Record<string, FakeHandler>, refusals: Record<string, ErrorShape> = {}) {
  const transport = new RefusingTransport(
    {
      listPortfolios: () => ({ portfolios: [] }),
      getSettings: () => ({ settings: [], extra: {} }),
      getDatabaseInfo: () => ({}),
      getRunStatus: () => IDLE,
      getOtherProcessRun: () => ({ run: null }),
      ...commands,
    },
    refusals,
  );
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const navigate = vi.fn();
  const view = (screenEl: React.ReactNode) => (
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'run', params: {} }, navigate }}>{screenEl}</NavigationContext.Provider>
    </ServicesProvider>
  );
  return { transport, navigate, live, view, ...render(view(<RunScreen />)) };
}

async function previewSingleDate(date: string): Promise<void> {
  fireEvent.click(screen.getByLabelText('Single date'));
  fireEvent.change(screen.getByTestId('run-target-date'), { target: { value: date } });
  fireEvent.click(screen.getByTestId('run-preview'));
  await waitFor(() => expect(screen.getByTestId('plan-preview')).toBeTruthy());
}

afterEach(cleanup);

describe('starting a run', () => {
  it('a refusal at start stays on the form, names the lock holder, and shows on the Live screen with the way back', async () => {
    const { navigate, live, view, rerender } = renderRun({
      planRun: () => plan(['2026-11-02']),
      // The engine accepts the command; its run worker finds the lock held, and the answer says so.
      startRun: () => ({ accepted: true, status: LOCKED }),
    });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused'));
    expect(navigate).not.toHaveBeenCalled();
    expect(screen.getByTestId('start-outcome').textContent).toContain('The run did not start (exit code 3)');
    expect(screen.getByTestId('start-refusal-message').textContent).toMatch(/^The database is locked by another run \(cli pid 4242 on desk-7/);
    expect(screen.getByTestId('start-refusal-holder').textContent).toBe('The database is held by the CLI (run held-by-cli, pid 4242 on desk-7) since 2026-11-27 22:58:00.');
    // The form and its choices are still there; the refused run's dates are not pending anywhere.
    expect((screen.getByTestId('run-target-date') as HTMLInputElement).value).toBe('2026-11-02');
    expect(live.getSnapshot().plannedDates).toEqual([]);
    rerender(view(<LiveScreen />));
    expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused');
    expect(screen.getByTestId('start-refusal-holder').textContent).toContain('pid 4242 on desk-7');
    fireEvent.click(screen.getByTestId('start-refusal-back'));
    expect(navigate).toHaveBeenCalledWith('run');
  });

  it('a run that starts opens the Live screen with its dates pending', async () => {
    const { navigate, live } = renderRun({
      planRun: () => plan(['2026-11-02']),
      startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', startedAt: LOCKED.startedAt, runId: 'run-9', batchRunId: 'batch_9', datesPlanned: 1 } }),
    });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('live'));
    expect(live.getSnapshot().start).toBeNull();
    expect(live.getSnapshot().plannedDates).toEqual(['2026-11-02']);
  });

  it('the preview of a single date names that date, not the latest settled date as its target', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']) });
    await previewSingleDate('2026-11-02');
    const text = screen.getByTestId('plan-preview').textContent ?? '';
    expect(screen.getByTestId('plan-span').textContent).toBe('2026-11-02');
    expect(text).toContain('Date 2026-11-02 (the latest settled date is 2026-11-27)');
    expect(text).not.toMatch(/Target date 2026-11-27/);
  });

  it("shows the engine's usage errors in the form's words", async () => {
    renderRun({}, { planRun: usageError('planRun', 'endDate', '--end-date 2026-11-10 is before --start-date 2026-11-20') });
    fireEvent.click(screen.getByLabelText('Date range'));
    fireEvent.change(screen.getByTestId('run-start-date'), { target: { value: '2026-11-20' } });
    fireEvent.change(screen.getByTestId('run-end-date'), { target: { value: '2026-11-10' } });
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('End date 2026-11-10 is before start date 2026-11-20'));
  });
});
