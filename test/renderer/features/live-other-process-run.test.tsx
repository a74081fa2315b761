// @vitest-environment happy-dom
/**
 * Live while this app's engine is idle and another process (the CLI's `batchdesk run`) is
 * running a batch on the same file (SPEC.md g.9, g.10, i.5):
 *   - it says so, with the holder's pid and start, and shows the run's progress from the
 *     database, read again every 2 s while the run lasts (a monitor-only run is said to be one);
 *   - once the run is gone it says how it ended (its history row: completed, cancelled, failed)
 *     and reads the grid and the last run again;
 *     while there is no such run the lock is looked at every 5 s (a run started from a terminal
 *     shows up); the live store watches on every screen, until it stops;
 *   - the grid follows the run's dates: the tracking rows are read again when its dates done
 *     change, and once it has ended, also when Live was not shown meanwhile;
 *   - the run can be asked to stop (after a confirmation), as `batchdesk cancel` does; the
 *     confirmation takes the focus when it opens, closes on Escape, and gives it back when it closes;
 *   - while this app runs its own batch, nothing of it shows and nothing is read.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { CommandOutput } from '../../../core/api/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtherProcessRun, RunStatus } from '../../../core/api/commands/run-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore, OTHER_RUN_IDLE_POLL_MS, OTHER_RUN_POLL_MS } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { trackingRow } from '../../support/app/tracking-row';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { runStartEvent } from '../../support/telemetry/event-builders';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

const cliRun = (over: Partial<OtherProcessRun> = {}): OtherProcessRun => ({
  runId: 'cli-run',
  batchRunId: 'batch_20250930_230000',
  mode: 'normal',
  holder: 'cli',
  host: 'desk-7',
  pid: 4242,
  startedAt: '2025-09-30T23:00:00.000000Z',
  heartbeatAt: '2025-09-30T23:00:10.000000Z',
  datesPlanned: 10,
  datesDone: 3,
  datesFailed: 1,
  currentDate: '2025-07-04',
  cancelRequested: false,
  ...over,
});

/** The history row of `run` once it ended with `status`. */
const historyRow = (run: OtherProcessRun, status: string): CommandOutput<'listRuns'>['runs'][number] => ({
  id: run.runId,
  batchRunId: run.batchRunId ?? run.runId,
  status,
  mode: 'normal',
  triggeredBy: 'cli',
  startedAt: run.startedAt,
  completedAt: '2025-09-30T23:05:00.000000Z',
  totalJobs: null,
  completedJobs: null,
  failedJobs: null,
  partialDates: null,
  durationSeconds: 300,
  options: null,
});

beforeEach(() => {
  fakeLayout();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Answers getOtherProcessRun with `answers` in turn (the last one again once they run out). */
function setup(answers: (OtherProcessRun | null)[], commands: Record<string, FakeHandler> = {}) {
  let i = 0;
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getRunStatus: () => IDLE,
    getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [] }),
    listRuns: () => ({ runs: [] }),
    getOtherProcessRun: () => ({ run: answers[Math.min(i++, answers.length - 1)] ?? null }),
    ...commands,
  });
  const client = new EngineClient(transport, { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });
  client.connect();
  const live = new LiveStore(client);
  live.start();
  /** Shows the Live screen (again). */
  const show = () =>
    render(
      <ServicesProvider value={{ client, live }}>
        <NavigationContext.Provider value={{ route: { screen: 'live', params: {} }, navigate: vi.fn() }}>
          <LiveScreen />
        </NavigationContext.Provider>
      </ServicesProvider>,
    );
  const view = show();
  const calls = (name: string) => transport.calls.filter((c) => c.name === name).length;
  return { transport, live, view, show, calls };
}

/** The dates in the grid (its rows but the heading). */
const gridDates = () => Number(screen.getByTestId('phase-grid').getAttribute('aria-rowcount')) - 1;

const JULY = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'];
/** The rest of a getTracking answer. */
const NO_MORE_TRACKING = { truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] };

const advance = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

describe('Live and a run by another process', () => {
  it('shows its holder and progress, reads it every 2 s while it lasts, then says how it finished and looks every 5 s', async () => {
    const { calls, transport } = setup([cliRun(), cliRun({ datesDone: 4, currentDate: '2025-07-07' }), null], {
      listRuns: (input) => ({ runs: (input as { ids?: string[] }).ids?.includes('cli-run') ? [historyRow(cliRun(), 'completed')] : [] }),
    });
    await advance(0);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('running');
    expect(screen.getByTestId('other-run-title').textContent).toBe('A run by another process (pid 4242, started at 2025-09-30 23:00:00) is working on this file.');
    expect(screen.getByTestId('other-run').textContent).toContain('Run batch_20250930_230000, by the CLI on desk-7.');
    expect(screen.getByTestId('other-run-progress').textContent).toBe('3 / 10 dates done, 1 failed, now on 2025-07-04');
    expect(screen.getByRole('progressbar', { name: 'Dates done by the other process' }).getAttribute('aria-valuenow')).toBe('30');
    expect(calls('getOtherProcessRun')).toBe(1);

    await advance(OTHER_RUN_POLL_MS - 10);
    expect(calls('getOtherProcessRun')).toBe(1);
    await advance(10);
    expect(calls('getOtherProcessRun')).toBe(2);
    expect(screen.getByTestId('other-run-progress').textContent).toBe('4 / 10 dates done, 1 failed, now on 2025-07-07');

    const tracking = calls('getTracking');
    const lastRun = calls('listRuns');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('finished');
    expect(screen.getByTestId('other-run').textContent).toBe('The run by another process (pid 4242), batch_20250930_230000, has completed. The grid below is read again.');
    // How it ended is its history row's status; its dates and outcome are in the database now (the last run is read again).
    expect(transport.calls.filter((c) => c.name === 'listRuns').map((c) => c.input)).toContainEqual({ ids: ['cli-run'], limit: 1 });
    expect(calls('getTracking')).toBe(tracking + 1);
    expect(calls('listRuns')).toBe(lastRun + 2);
    await advance(OTHER_RUN_IDLE_POLL_MS - 10);
    expect(calls('getOtherProcessRun')).toBe(3);
    await advance(10);
    expect(calls('getOtherProcessRun')).toBe(4);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('finished');
  });

  it('the grid follows the run: its tracking rows are read again each time its dates done change', async () => {
    // The tracking table holds the dates the run has committed, as its dates done say.
    let committed = 0;
    const answers = [cliRun({ datesDone: 2 }), cliRun({ datesDone: 2 }), cliRun({ datesDone: 4 })];
    const { calls } = setup([], {
      getOtherProcessRun: () => {
        const run = answers.shift() ?? cliRun({ datesDone: 4 });
        committed = run.datesDone;
        return { run };
      },
      getTracking: () => ({ dates: JULY.slice(0, committed).map((d) => trackingRow(d, { runId: 'cli-run' })), ...NO_MORE_TRACKING }),
    });
    await advance(0);
    expect(screen.getByTestId('other-run-progress').textContent).toContain('2 / 10 dates done');
    expect(gridDates()).toBe(2);
    const reads = calls('getTracking');
    // The same figures: nothing new to read.
    await advance(OTHER_RUN_POLL_MS);
    expect(calls('getTracking')).toBe(reads);
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run-progress').textContent).toContain('4 / 10 dates done');
    expect(gridDates()).toBe(4);
  });

  it('after a reload while the run holds the file, names the history\'s latest run (not "no run yet")', async () => {
    setup([cliRun()], { listRuns: () => ({ runs: [{ ...historyRow(cliRun(), 'running'), completedAt: null }] }) });
    await advance(0);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('running');
    expect(screen.getByTestId('idle-summary').textContent).toContain('The last run in the history, batch_20250930_230000: running, started 2025-09-30 23:00:00.');
  });

  it('the watched run showing up in the history reads no tracking rows: its dates done say when', async () => {
    const earlier = { ...historyRow(cliRun({ runId: 'h0', batchRunId: 'batch_20250929_230000' }), 'completed') };
    const history = [[earlier], [{ ...historyRow(cliRun(), 'running'), completedAt: null }]];
    const { calls } = setup([cliRun()], { listRuns: () => ({ runs: history.length > 1 ? history.shift()! : history[0]! }) });
    await advance(0);
    expect(screen.getByTestId('idle-summary').textContent).toContain('batch_20250929_230000: completed');
    const reads = calls('getTracking');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('idle-summary').textContent).toContain('batch_20250930_230000: running');
    expect(calls('getTracking')).toBe(reads);
  });

  it('a run that ran and ended while Live was not shown leaves its dates in the grid when Live shows again', async () => {
    let gone = false;
    const answers = [cliRun({ datesDone: 0 }), null];
    const { view, show } = setup([], {
      getOtherProcessRun: () => {
        const run = answers.shift() ?? null;
        gone = run === null;
        return { run };
      },
      getTracking: () => ({ dates: gone ? JULY.map((d) => trackingRow(d, { runId: 'cli-run' })) : [], ...NO_MORE_TRACKING }),
    });
    view.unmount();
    await advance(0);
    await advance(OTHER_RUN_POLL_MS);
    show();
    await advance(0);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('finished');
    expect(gridDates()).toBe(JULY.length);
  });

  it.each([
    ['cancelled', 'was cancelled'],
    ['failed', 'has failed'],
    ['interrupted', 'was interrupted'],
  ])('says a run that ended %s so', async (status, words) => {
    setup([cliRun(), null], { listRuns: (input) => ({ runs: (input as { ids?: string[] }).ids ? [historyRow(cliRun(), status)] : [] }) });
    await advance(0);
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('finished');
    expect(screen.getByTestId('other-run').textContent).toBe(`The run by another process (pid 4242), batch_20250930_230000, ${words}. The grid below is read again.`);
  });

  it('says a run ended without saying how when its history row cannot be read', async () => {
    setup([cliRun(), null], {
      listRuns: (input) => {
        if ((input as { ids?: string[] }).ids) throw new Error('host restarting');
        return { runs: [] };
      },
    });
    await advance(0);
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run').textContent).toBe('The run by another process (pid 4242), batch_20250930_230000, has ended. The grid below is read again.');
  });

  it('a start refused because that run held the file goes once the run is seen to end', async () => {
    const locked: RunStatus = { ...IDLE, state: 'failed', exitCode: 3, error: { code: 'locked', message: 'the database is locked by another run' }, lockHolder: { kind: 'run', runId: 'cli-run', holder: 'cli', host: 'desk-7', pid: 4242, acquiredAt: '2025-09-30T23:00:00.000000Z' } };
    const { live } = setup([cliRun(), cliRun(), null], { startRun: () => ({ accepted: true, status: locked }) });
    await advance(0);
    await act(async () => {
      await live.startRun({});
    });
    expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('finished');
    expect(screen.queryByTestId('start-outcome')).toBeNull();
  });

  it('says of a monitor-only run that it publishes nothing; a normal run has no such note', async () => {
    setup([cliRun({ mode: 'monitor' }), cliRun()]);
    await advance(0);
    expect(screen.getByTestId('other-run-monitor').textContent).toContain('Monitor-only: it computes and rolls back, nothing is published');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.queryByTestId('other-run-monitor')).toBeNull();
  });

  it('with no run of another process: nothing shows, the lock is looked at every 5 s, and a run started meanwhile shows up', async () => {
    const { calls } = setup([null, null, cliRun()]);
    await advance(0);
    expect(calls('getOtherProcessRun')).toBe(1);
    await advance(OTHER_RUN_IDLE_POLL_MS - 10);
    expect(calls('getOtherProcessRun')).toBe(1);
    expect(screen.queryByTestId('other-run')).toBeNull();
    await advance(10);
    expect(calls('getOtherProcessRun')).toBe(2);
    expect(screen.queryByTestId('other-run')).toBeNull();
    await advance(OTHER_RUN_IDLE_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(3);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('running');
  });

  it('a failed read is said and the lock looked at again: the run then shows', async () => {
    let n = 0;
    const { calls } = setup([], {
      getOtherProcessRun: () => {
        if (n++ === 0) throw new Error('host restarting');
        return { run: cliRun() };
      },
    });
    await advance(0);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('error');
    expect(screen.getByTestId('other-run').textContent).toContain('(trying again every 5 s)');
    await advance(OTHER_RUN_IDLE_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(2);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('running');
  });

  it('keeps reading once Live is left (the header shows the run on every screen), and stops with the store', async () => {
    const { calls, view, live } = setup([cliRun()]);
    await advance(OTHER_RUN_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(2);
    view.unmount();
    await advance(OTHER_RUN_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(3);
    live.stop();
    await advance(10 * OTHER_RUN_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(3);
  });

  it('asks that run to stop after a confirmation, as `batchdesk cancel` does, and says so', async () => {
    const cancel = vi.fn(() => ({ requested: true, holder: null, stopped: false, forced: false, message: 'cancel requested; run cli-run (pid 4242 on desk-7) stops after its current portfolio-date' }));
    const { transport } = setup([cliRun(), cliRun({ cancelRequested: true })], { requestCancel: cancel });
    await advance(0);
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    expect(screen.getByRole('alertdialog').textContent).toContain('Ask run batch_20250930_230000 (pid 4242) to stop after its current portfolio-date');
    expect(cancel).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Keep it running' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    fireEvent.click(screen.getByTestId('other-run-cancel-confirm'));
    await advance(0);
    expect(transport.calls.find((c) => c.name === 'requestCancel')?.input).toEqual({ force: false, waitMs: 0, runId: 'cli-run' });
    expect(screen.getByTestId('other-run-cancel-note').textContent).toBe('Cancel requested: it stops after its current portfolio-date.');
    expect(screen.queryByTestId('other-run-cancel')).toBeNull();
    // The next read says so from the database too (also for a `batchdesk cancel` from a terminal).
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('other-run-cancel-note')).toBeTruthy();
  });

  it('the confirmation takes the focus when it opens, closes on Escape, and gives the focus back to its trigger, or to the panel once a cancel is requested', async () => {
    const cancel = vi.fn(() => ({ requested: true, holder: null, stopped: false, forced: false, message: 'cancel requested' }));
    setup([cliRun()], { requestCancel: cancel });
    await advance(0);
    screen.getByTestId('other-run-cancel').focus();
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    expect(document.activeElement).toBe(screen.getByTestId('other-run-cancel-confirm'));
    fireEvent.click(screen.getByRole('button', { name: 'Keep it running' }));
    expect(document.activeElement).toBe(screen.getByTestId('other-run-cancel'));
    // Escape closes it too, like a dialog.
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('other-run-cancel'));
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    expect(document.activeElement).toBe(screen.getByTestId('other-run-cancel-confirm'));
    fireEvent.click(screen.getByTestId('other-run-cancel-confirm'));
    await advance(0);
    // The trigger is gone (the cancel is requested): the panel holds the focus.
    expect(screen.queryByTestId('other-run-cancel')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('other-run'));
  });

  it('gives the focus back to the trigger when the cancel was not made', async () => {
    setup([cliRun()], { requestCancel: () => ({ requested: false, holder: null, stopped: false, forced: false, message: 'run cli-run no longer holds this database; nothing to cancel' }) });
    await advance(0);
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    fireEvent.click(screen.getByTestId('other-run-cancel-confirm'));
    await advance(0);
    expect(document.activeElement).toBe(screen.getByTestId('other-run-cancel'));
  });

  it('says why a cancel was not made (the run had ended meanwhile)', async () => {
    setup([cliRun()], { requestCancel: () => ({ requested: false, holder: null, stopped: false, forced: false, message: 'run cli-run no longer holds this database; nothing to cancel' }) });
    await advance(0);
    fireEvent.click(screen.getByTestId('other-run-cancel'));
    fireEvent.click(screen.getByTestId('other-run-cancel-confirm'));
    await advance(0);
    expect(screen.getByTestId('other-run-cancel-refusal').textContent).toBe('Not cancelled: run cli-run no longer holds this database; nothing to cancel');
    expect(screen.queryByTestId('other-run-cancel-note')).toBeNull();
  });

  it('while this app runs its own batch, nothing of another process shows and nothing is read', async () => {
    const { transport, live, calls } = setup([cliRun()]);
    await advance(0);
    expect(screen.getByTestId('other-run').getAttribute('data-state')).toBe('running');
    transport.emit(runStartEvent(1));
    await advance(200);
    expect(live.getSnapshot().phase).toBe('running');
    expect(screen.queryByTestId('other-run')).toBeNull();
    const reads = calls('getOtherProcessRun');
    await advance(10 * OTHER_RUN_POLL_MS);
    expect(calls('getOtherProcessRun')).toBe(reads);
    expect(screen.queryByTestId('other-run')).toBeNull();
  });
});
