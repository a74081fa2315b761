// @vitest-environment happy-dom
/**
 * The Run screen while a run is in progress says so, whether this app's engine runs it or
 * another process (the CLI) does on the file: which run, who started it and when, its progress,
 * the way to Live, and why Start and Resume are off (they are, with that reason, rather than
 * offering a click the engine refuses). Once the run has ended the notice goes and Start is
 * offered again.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtherProcessRun, RunStatus } from '../../../core/api/commands/run-commands';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore, OTHER_RUN_POLL_MS } from '../../../renderer/state/live-store';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { dateResultEvent, phaseStartEvent, runStartEvent } from '../../support/telemetry/event-builders';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

const cliRun: OtherProcessRun = {
  runId: 'cli-run',
  batchRunId: 'batch_20261127_225800',
  mode: 'normal',
  holder: 'cli',
  host: 'desk-7',
  pid: 4242,
  startedAt: '2026-11-27T22:58:00.000000Z',
  heartbeatAt: '2026-11-27T22:59:50.000000Z',
  datesPlanned: 10,
  datesDone: 3,
  datesFailed: 0,
  currentDate: '2026-11-05',
  cancelRequested: false,
};

const plan = { plan: { target_date: '2026-11-27', mode: 'normal', up_to_date: null, chunks: [{ index: 0, dates: 1 }], dates: [{ date: '2026-11-02', date_phases: ['market_data'], portfolios: [], skipped: [] }], warnings: [], refused_by: [] } };

/** The end of run-1. */
const runResult = (seq: number): TelemetryEvent => ({
  schema: 1,
  run_id: 'run-1',
  seq,
  ts: '2025-09-30T23:00:05.000000Z',
  source: 'engine',
  level: 'info',
  event: 'run_result',
  payload: { status: 'completed', exit_code: 0, dates_planned: 3, dates_succeeded: 3, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 10, cancelled: false, guard_status: null },
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function renderRun(commands: Record<string, FakeHandler> = {}) {
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getSettings: () => ({ settings: [], extra: {} }),
    getDatabaseInfo: () => ({}),
    getRunStatus: () => IDLE,
    getOtherProcessRun: () => ({ run: null }),
    listRuns: () => ({ runs: [{ id: 'r0', batchRunId: 'batch_r0', status: 'cancelled', mode: 'normal', triggeredBy: 'cli', startedAt: '2026-11-27T22:00:00Z', completedAt: '2026-11-27T22:05:00Z', totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 300, options: {} }] }),
    planRun: () => plan,
    ...commands,
  });
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const navigate = vi.fn();
  render(
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'run', params: {} }, navigate }}>
        <RunScreen />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return { transport, navigate };
}

const advance = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

async function preview(): Promise<void> {
  fireEvent.click(screen.getByTestId('run-preview'));
  await advance(0);
  expect(screen.getByTestId('plan-preview')).toBeTruthy();
}

describe('the Run screen while a run is in progress', () => {
  it('says which run of another process is in progress, since when and how far, and why Start and Resume are off', async () => {
    const reads: (OtherProcessRun | null)[] = [cliRun, { ...cliRun, datesDone: 4 }, null];
    const { navigate } = renderRun({ getOtherProcessRun: () => ({ run: reads.shift() ?? null }) });
    await preview();
    const notice = screen.getByTestId('active-run');
    expect(notice.getAttribute('data-source')).toBe('other');
    expect(screen.getByTestId('active-run-title').textContent).toBe('Run batch_20261127_225800 is in progress, started by the CLI (pid 4242 on desk-7) at 2026-11-27 22:58:00.');
    expect(screen.getByTestId('active-run-progress').textContent).toBe('3 / 10 dates done (30%), now on 2026-11-05.');
    expect(screen.getByTestId('active-run-reason').textContent).toBe('Start and Resume are off until it ends: one run at a time works on this database. Live shows it and can ask it to stop, as batchdesk cancel does.');
    // A current plan, yet Start is off, with the reason; so is Resume, though the history has a run to resume.
    for (const id of ['run-start', 'run-resume']) {
      expect(button(id).disabled).toBe(true);
      expect(button(id).getAttribute('aria-describedby')).toBe('run-start-busy');
    }
    expect(document.getElementById('run-start-busy')).toBe(screen.getByTestId('active-run-reason'));
    fireEvent.click(screen.getByTestId('active-run-live'));
    expect(navigate).toHaveBeenCalledWith('live');
    // Its progress follows the watch.
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('active-run-progress').textContent).toBe('4 / 10 dates done (40%), now on 2026-11-05.');
    // Once it has ended, the notice goes and Start is on again.
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.queryByTestId('active-run')).toBeNull();
    expect(button('run-start').disabled).toBe(false);
    expect(button('run-resume').disabled).toBe(false);
  });

  it("says a cancel was requested of another process's run, and that its total is not known yet", async () => {
    renderRun({ getOtherProcessRun: () => ({ run: { ...cliRun, batchRunId: null, datesPlanned: null, currentDate: null, cancelRequested: true } }) });
    await advance(0);
    expect(screen.getByTestId('active-run-title').textContent).toBe('Run cli-run is in progress, started by the CLI (pid 4242 on desk-7) at 2026-11-27 22:58:00.');
    expect(screen.getByTestId('active-run-progress').textContent).toBe('3 / ? dates done. Cancel requested: it stops after its current portfolio-date.');
  });

  it("says this app's run is in progress, with its progress from the telemetry, until it ends", async () => {
    const { transport } = renderRun();
    await preview();
    expect(button('run-start').disabled).toBe(false);
    // Telemetry reaches the UI through the throttle (at most 10 updates a second).
    transport.emit({ events: [runStartEvent(1), dateResultEvent('2025-07-01', 'success', 2), phaseStartEvent('2025-07-02', 'marks', 'p1', 3)], counts: {}, coalesced: 0 });
    await advance(200);
    const notice = screen.getByTestId('active-run');
    expect(notice.getAttribute('data-source')).toBe('app');
    expect(screen.getByTestId('active-run-title').textContent).toBe('Run batch_run-1 is in progress, started from this app at 2025-09-30 23:00:00.');
    expect(screen.getByTestId('active-run-progress').textContent).toBe('1 / 3 dates done (33%), now on 2025-07-02.');
    expect(screen.getByTestId('active-run-reason').textContent).toContain('Cancel run below stops it after its current portfolio-date');
    expect(button('run-start').disabled).toBe(true);
    expect(button('run-start').getAttribute('aria-describedby')).toBe('run-start-busy');
    expect(button('run-cancel').disabled).toBe(false);
    transport.emit({ events: [runResult(4)], counts: {}, coalesced: 0 });
    await advance(200);
    expect(screen.queryByTestId('active-run')).toBeNull();
  });

  it('says nothing while no run is in progress', async () => {
    renderRun();
    await preview();
    expect(screen.queryByTestId('active-run')).toBeNull();
    expect(button('run-start').disabled).toBe(false);
  });
});
