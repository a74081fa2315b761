// @vitest-environment happy-dom
/**
 * What Live shows as soon as a new run has started (SPEC.md h.7, g.11):
 *   - its planned dates are pending, not what the previous run left in the grid, and a date's
 *     first event starts its row afresh; a date it finished stays finished when tracking is
 *     read again mid-run; the grid scrolls to its first planned date; opened with no run going,
 *     to the first failed or partial date (once);
 *   - a resume says which run it resumes, read from the history (also for a resume of the
 *     latest cancelled run, and after a reload); a normal run says nothing of the kind.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunStatus } from '../../../core/api/commands/run-commands';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { trackingRow } from '../../support/app/tracking-row';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { dateResultEvent, phaseResultEvent, phaseStartEvent, runStartEvent } from '../../support/telemetry/event-builders';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

const tracked = (date: string, runId = 'old-run'): TrackingRow =>
  trackingRow(date, {
    completedAt: '2025-09-29T23:00:00Z',
    runId,
    batchRunId: `batch_${runId}`,
    phases: {
      market_data: { status: 'success', startedAt: null, durationMs: 1, reason: null, error: null, portfolios: null },
      marks: { status: 'success', startedAt: null, durationMs: 1, reason: null, error: null, portfolios: { p1: { status: 'success', startedAt: null, reason: null, error: null, durationMs: 1 } } },
    },
  });

const historyRun = (id: string, batchRunId: string, mode: string, options: unknown) => ({
  id,
  batchRunId,
  status: 'running',
  mode,
  triggeredBy: 'app',
  startedAt: '2025-09-30T23:00:00Z',
  completedAt: null,
  totalJobs: null,
  completedJobs: null,
  failedJobs: null,
  partialDates: null,
  durationSeconds: null,
  options,
});

/** The history: run-2 resumes the cancelled run-1 (options.resumed_run_id, as the engine stores it). */
const HISTORY = [historyRun('run-1', 'batch_20250929_230000', 'normal', {}), historyRun('run-2', 'batch_20250930_230000', 'resume', { resume: 'latest', resumed_run_id: 'run-1' })];
const listRuns: FakeHandler = (input) => {
  const ids = (input as { ids?: string[] }).ids;
  return { runs: ids ? HISTORY.filter((r) => ids.includes(r.id)) : HISTORY };
};

const resumeStart = (seq: number, runId = 'run-2'): TelemetryEvent => {
  const e = runStartEvent(seq, { runId });
  if (e.event !== 'run_start') throw new Error('runStartEvent built another event');
  return { ...e, payload: { ...e.payload, batch_run_id: 'batch_20250930_230000', mode: 'resume', options: { resume: 'latest' } } };
};

const runResult = (seq: number, runId: string): TelemetryEvent => ({
  ...runStartEvent(seq, { runId }),
  event: 'run_result',
  payload: { status: 'completed', exit_code: 0, dates_planned: 1, dates_succeeded: 1, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 10, cancelled: false, guard_status: null },
}) as TelemetryEvent;

function setup(commands: Record<string, FakeHandler> = {}) {
  let tracking: TrackingRow[] = [];
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getRunStatus: () => IDLE,
    getTracking: () => ({ dates: tracking, truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] }),
    listRuns,
    getOtherProcessRun: () => ({ run: null }),
    ...commands,
  });
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const show = () =>
    render(
      <ServicesProvider value={{ client, live }}>
        <NavigationContext.Provider value={{ route: { screen: 'live', params: {} }, navigate: vi.fn() }}>
          <LiveScreen />
        </NavigationContext.Provider>
      </ServicesProvider>,
    );
  return { transport, live, show, setTracking: (rows: TrackingRow[]) => (tracking = rows) };
}

const status = (date: string, phase: string) => screen.getByTestId(`cell-${date}-${phase}`).getAttribute('data-status');

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('Live once a new run has started', () => {
  it("shows its planned dates as pending, not the previous run's cells, and scrolls to them", async () => {
    fakeLayout();
    const dates = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2025, 5, 1 + i)).toISOString().slice(0, 10));
    const planned = dates.slice(-2);
    const { transport, live, show, setTracking } = setup({ startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', runId: 'run-9' } }) });
    setTracking(dates.map((d) => tracked(d)));
    await live.refreshTracking();
    show();
    const body = screen.getByTestId('phase-grid').querySelector<HTMLElement>('.grid-body')!;
    expect(body.scrollTop).toBe(0);
    await live.startRun({}, planned);
    transport.emit(runStartEvent(1, { runId: 'run-9', dates: 2 }));
    await waitFor(() => expect(live.getSnapshot().phase).toBe('running'));
    await waitFor(() => expect(body.scrollTop).toBeGreaterThan(0));
    fireEvent.scroll(body); // happy-dom sends no scroll event for a scrollTop set by script
    await waitFor(() => expect(status(planned[0]!, 'marks')).toBe('pending'));
    expect(status(planned[1]!, 'market_data')).toBe('pending');
    // A date the run does not plan keeps its stored row.
    expect(live.getSnapshot().rows[dates[30]!]?.status).toBe('success');
  });

  it('opened with no run going, scrolls to the first failed or partial date, once', async () => {
    fakeLayout();
    const dates = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2025, 5, 1 + i)).toISOString().slice(0, 10));
    const { live, show, setTracking } = setup();
    setTracking(dates.map((d, i) => (i === 30 ? trackingRow(d, { status: 'partial', completedAt: '2025-09-29T23:00:00Z' }) : tracked(d))));
    await live.refreshTracking();
    show();
    const body = screen.getByTestId('phase-grid').querySelector<HTMLElement>('.grid-body')!;
    // The same position as a run's date 30 gets (phase-grid.tsx): near the bottom of the view.
    await waitFor(() => expect(body.scrollTop).toBeGreaterThan(0));
    const at = body.scrollTop;
    body.scrollTop = 0;
    fireEvent.scroll(body);
    await live.refreshTracking();
    expect(body.scrollTop).toBe(0);
    expect(at).toBeGreaterThan(0);
  });

  it("starts a date's row afresh at its first event, and keeps a date it finished when tracking is read again", async () => {
    fakeLayout();
    const { transport, live, show, setTracking } = setup({ startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', runId: 'run-9' } }) });
    setTracking([tracked('2025-07-01'), tracked('2025-07-02'), tracked('2025-07-03')]);
    await live.refreshTracking();
    show();
    await waitFor(() => expect(status('2025-07-02', 'marks')).toBe('ok'));
    await live.startRun({}, ['2025-07-02', '2025-07-03']);
    transport.emit(runStartEvent(1, { runId: 'run-9', dates: 2 }));
    transport.emit(phaseStartEvent('2025-07-02', 'market_data', null, 2));
    await waitFor(() => expect(status('2025-07-02', 'market_data')).toBe('running'));
    // Not the previous run's 'success': this run has not reached marks yet.
    expect(status('2025-07-02', 'marks')).toBe('pending');
    expect(status('2025-07-03', 'marks')).toBe('pending');
    expect(status('2025-07-01', 'marks')).toBe('ok');
    transport.emit({ ...dateResultEvent('2025-07-02', 'success', 3), run_id: 'run-9' });
    await waitFor(() => expect(live.getSnapshot().datesDone).toBe(1));
    setTracking([tracked('2025-07-01'), tracked('2025-07-02', 'run-9'), tracked('2025-07-03')]);
    await live.refreshTracking();
    await waitFor(() => expect(status('2025-07-02', 'marks')).toBe('ok'));
    expect(status('2025-07-03', 'marks')).toBe('pending');
  });

  it("starts from nothing of the previous run's rows, also when they were not read again after it", async () => {
    fakeLayout();
    const { transport, live, show } = setup({
      getTracking: () => {
        throw new Error('the database is busy');
      },
      startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', runId: 'run-9' } }),
    });
    show();
    transport.emit(runStartEvent(1, { runId: 'run-1', dates: 1 }));
    transport.emit(phaseStartEvent('2025-07-02', 'marks', 'p1', 2));
    transport.emit(phaseResultEvent('2025-07-02', 'marks', 'p1', 'success', 3));
    transport.emit(dateResultEvent('2025-07-02', 'success', 4));
    transport.emit(runResult(5, 'run-1'));
    await waitFor(() => expect(live.getSnapshot().phase).toBe('finished'));
    expect(status('2025-07-02', 'marks')).toBe('ok');
    await live.startRun({}, ['2025-07-02']);
    transport.emit(runStartEvent(6, { runId: 'run-9', dates: 1 }));
    await waitFor(() => expect(live.getSnapshot().phase).toBe('running'));
    await waitFor(() => expect(status('2025-07-02', 'marks')).toBe('pending'));
    expect(screen.queryByTestId('current-date')).toBeNull();
  });
});

describe('a resume on Live', () => {
  it('says which run it resumes, read from the history; the next normal run does not', async () => {
    fakeLayout();
    const { transport, show } = setup();
    show();
    transport.emit(resumeStart(1));
    await waitFor(() => expect(screen.getByTestId('run-resumes').textContent).toBe('resumes run batch_20250929_230000'));
    expect(screen.getByTestId('run-progress').textContent).toContain('batch_20250930_230000');
    transport.emit(runStartEvent(2, { runId: 'run-3' }));
    await waitFor(() => expect(screen.getByTestId('run-progress').textContent).toContain('batch_run-3'));
    expect(screen.queryByTestId('run-resumes')).toBeNull();
  });

  it('after a reload, a resume in progress says which run it resumes', async () => {
    fakeLayout();
    const { live, show } = setup({ recentEvents: () => ({ events: [resumeStart(1)], runStart: resumeStart(1) }) });
    await live.rebuild();
    show();
    await waitFor(() => expect(screen.getByTestId('run-resumes').textContent).toBe('resumes run batch_20250929_230000'));
  });
});
