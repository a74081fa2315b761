// @vitest-environment happy-dom
/**
 * What the Live screen, the Run screen and the header say about the run (SPEC.md h.7, g.10,
 * g.11, g.12):
 *   - with no run in this session, the grid is the database's tracked dates, and the last run
 *     of the history gives its outcome (not "No run yet"), its time formatted as elsewhere;
 *   - a requested cancel is said until the run_result arrives, then becomes what it came to;
 *   - a monitor-only (debug) run is labelled so in the header and on Live, and its dates stay
 *     out of the grid of the database's dates; one whose comparison found differences (exit
 *     code 4) says so there, its chip not the green of a plain "completed";
 *   - a run of another process (the CLI) is the header's run while it lasts, then how it ended:
 *     an earlier run of this window is not said to be the latest; so is one that only the
 *     history shows, after a reload or ended between two looks of the watch (the grid is read
 *     again for it), until a later run of this window;
 *   - resuming the cancelled live run names it and the dates left to it while it starts;
 *   - the phase being run is named in words, the progress text sits beside the bar, the retries
 *     counter says it counts profile retries too (the run summary's retries are price ones), and the
 *     count columns leave room for their headings; beside an open cell detail in a 1280 px window
 *     the grid keeps every column (the panel goes below it); a grid narrower than its columns (a
 *     narrower window) scrolls sideways, its headings with its rows, and no heading runs into the
 *     next.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtherProcessRun, RunStatus } from '../../../core/api/commands/run-commands';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { HeaderRun } from '../../../renderer/app';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { PhaseGrid } from '../../../renderer/features/telemetry/phase-grid';
import { LiveStore, OTHER_RUN_IDLE_POLL_MS, OTHER_RUN_POLL_MS } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { trackingRow } from '../../support/app/tracking-row';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { dateResultEvent, metricEvent, phaseStartEvent, runStartEvent } from '../../support/telemetry/event-builders';
import { lengthOf, px, REM, ruleOf, SCROLLBAR, screenWidth } from '../stylesheet';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

const tracked = (date: string, status = 'success'): TrackingRow =>
  trackingRow(date, { status, runId: 'old-run', batchRunId: 'batch_old', phases: { market_data: { status, startedAt: null, durationMs: 1, reason: null, error: null, portfolios: null } } });

const runResult = (seq: number, status: string, cancelled: boolean, runId = 'run-1'): TelemetryEvent => ({
  schema: 1,
  run_id: runId,
  seq,
  ts: '2025-09-30T23:00:01.000000Z',
  source: 'engine',
  level: 'info',
  event: 'run_result',
  payload: { status, exit_code: cancelled ? 130 : 0, dates_planned: 3, dates_succeeded: 1, dates_partial: 0, dates_failed: 0, dates_skipped: cancelled ? 2 : 0, duration_ms: 10, cancelled, guard_status: null },
});

const resumePlan = (dates: string[]) => ({ plan: { target_date: '2025-07-03', dates: dates.map((date) => ({ date })) } });

function setup(commands: Record<string, FakeHandler>, tracking: TrackingRow[] = []) {
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getSettings: () => ({ settings: [], extra: {} }),
    getRunStatus: () => IDLE,
    getTracking: () => ({ dates: tracking, truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] }),
    listRuns: () => ({ runs: [] }),
    getGate: () => ({ gate: null }),
    getOtherProcessRun: () => ({ run: null }),
    ...commands,
  });
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const navigate = vi.fn();
  const view = (el: React.ReactNode) => (
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'live', params: {} }, navigate }}>{el}</NavigationContext.Provider>
    </ServicesProvider>
  );
  return { transport, client, live, navigate, view };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the Live screen with no run in this session', () => {
  it("says the grid is the database's tracked dates and gives the last run's outcome from the history", async () => {
    fakeLayout();
    const { live, view } = setup(
      { listRuns: () => ({ runs: [{ id: 'h1', batchRunId: 'batch_2025', status: 'cancelled', mode: 'normal', triggeredBy: 'cli', startedAt: '2025-09-30T22:00:00Z', completedAt: '2025-09-30T22:05:00Z', totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 300, options: {} }] }) },
      [tracked('2025-07-01'), tracked('2025-07-02'), tracked('2025-07-03')],
    );
    await live.refreshTracking();
    render(view(<LiveScreen />));
    await waitFor(() => expect(screen.getByTestId('idle-summary').textContent).toContain('batch_2025'));
    const text = screen.getByTestId('idle-summary').textContent ?? '';
    expect(text).toContain('The grid shows the 3 dates tracked in the database.');
    expect(text).toContain('The last run in the history, batch_2025: cancelled, ended 2025-09-30 22:05:00.');
    expect(screen.getByTestId('run-progress').textContent).not.toContain('No run yet');
    expect(screen.getByTestId('run-progress').textContent).not.toContain('0 / 0 dates');
  });
});

describe('a cancel this window asked for', () => {
  it('is said while the run finishes its portfolio-date, and becomes "Cancelled after N dates" once the run_result arrives', async () => {
    fakeLayout();
    const { transport, live, view } = setup({
      cancelRun: () => ({ requested: true, status: { ...IDLE, state: 'cancelling' } }),
      planRun: () => resumePlan(['2025-07-02', '2025-07-03']),
    });
    render(view(<LiveScreen />));
    transport.emit(runStartEvent(1));
    transport.emit(phaseStartEvent('2025-07-01', 'market_data', null, 2));
    await waitFor(() => expect(live.getSnapshot().phase).toBe('running'));
    fireEvent.click(screen.getByTestId('live-cancel'));
    await waitFor(() => expect(screen.getByTestId('cancel-note').textContent).toBe('Cancel requested: the run stops after its current portfolio-date.'));
    transport.emit(dateResultEvent('2025-07-01', 'success', 3));
    transport.emit(runResult(4, 'cancelled', true));
    await waitFor(() => expect(screen.getByTestId('cancel-note').textContent).toBe('Cancelled after 1 date.'));
    expect(screen.getByTestId('screen-live').textContent).not.toContain('Cancel requested');
  });
});

describe('a monitor-only (debug) run', () => {
  /** The header and Live, with a monitor-only run of 2025-07-01 started (event 1); `tracked` dates are loaded first. */
  const startMonitorRun = async (trackedDates: string[] = []) => {
    fakeLayout();
    const s = setup({}, trackedDates.map((d) => tracked(d)));
    await s.live.refreshTracking();
    render(
      s.view(
        <>
          <HeaderRun onOpen={() => undefined} />
          <LiveScreen />
        </>,
      ),
    );
    const start = runStartEvent(1, { dates: 1 });
    s.transport.emit({ ...start, payload: { ...(start.payload as object), mode: 'monitor', first_date: '2025-07-01', last_date: '2025-07-01' } });
    return s;
  };

  it('is labelled as such in the header and on Live, and its dates stay out of the grid of tracked dates', async () => {
    const { transport, live } = await startMonitorRun(['2025-07-01']);
    transport.emit(phaseStartEvent('2025-07-01', 'market_data', null, 2));
    transport.emit(dateResultEvent('2025-07-01', 'failed', 3));
    transport.emit(runResult(4, 'failed', false));
    await waitFor(() => expect(screen.getByTestId('header-run').getAttribute('data-state')).toBe('failed'));
    expect(screen.getByTestId('header-run').textContent).toBe('monitor-only (debug) run failed: 1/1 dates computed, not published');
    expect(screen.getByTestId('run-kind').textContent).toBe('monitor-only (debug) run');
    expect(screen.getByTestId('monitor-note').textContent).toContain('nothing is published');
    expect(screen.getByTestId('progress-text').textContent).toContain('1 / 1 dates computed');
    // The database's date keeps its stored status: the debug run's failure is not its.
    await waitFor(() => expect(screen.getByTestId('cell-2025-07-01-market_data').getAttribute('data-status')).toBe('ok'));
    expect(live.getSnapshot().rows['2025-07-01']?.status).toBe('success');
    expect(live.getSnapshot().monitorRows['2025-07-01']?.status).toBe('failed');
  });

  /** A monitor-only run of one date, completed with `exitCode`, seen by the header and Live. */
  const completedMonitorRun = async (exitCode: number) => {
    const { transport } = await startMonitorRun();
    transport.emit(dateResultEvent('2025-07-01', 'success', 2));
    const result = runResult(3, 'completed', false);
    transport.emit({ ...result, payload: { ...(result.payload as object), exit_code: exitCode } });
    await waitFor(() => expect(screen.getByTestId('header-run').getAttribute('data-state')).toBe('completed'));
    return { header: screen.getByTestId('header-run').textContent, chip: screen.getByTestId('run-state') };
  };

  it('says so in the header and on Live when its comparison found differences (exit code 4), not a plain green "completed"', async () => {
    const { header, chip } = await completedMonitorRun(4);
    expect(header).toBe('monitor-only (debug) run completed, differences found: 1/1 dates computed, not published');
    expect(chip.textContent).toBe('completed, differences found');
    expect(chip.className).toBe('pill st-warning');
  });

  it('a clean monitor-only run (exit code 0) is a plain "completed"', async () => {
    const { header, chip } = await completedMonitorRun(0);
    expect(header).toBe('monitor-only (debug) run completed: 1/1 dates computed, not published');
    expect(chip.textContent).toBe('completed');
    expect(chip.className).toBe('pill st-completed');
  });

  it('a normal run keeps the plain label', async () => {
    const { transport, view } = setup({});
    render(view(<HeaderRun onOpen={() => undefined} />));
    transport.emit(runStartEvent(1));
    await waitFor(() => expect(screen.getByTestId('header-run').textContent).toBe('run running: 0/3 dates'));
  });
});

describe('the header and a run of another process', () => {
  const cliRun = (datesDone: number): OtherProcessRun => ({
    runId: 'cli-run',
    batchRunId: 'batch_cli',
    mode: 'normal',
    holder: 'cli',
    host: 'desk-7',
    pid: 4242,
    startedAt: '2025-09-30T23:10:00.000000Z',
    heartbeatAt: '2025-09-30T23:10:05.000000Z',
    datesPlanned: 356,
    datesDone,
    datesFailed: 0,
    currentDate: '2025-07-01',
    cancelRequested: false,
  });

  it('shows that run while it lasts, then how it ended, not an earlier run of this window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // None when the store starts; the CLI's run once this window's debug run is over; then it is gone.
    const answers = [null, cliRun(50), null];
    const { transport, view } = setup({
      getOtherProcessRun: () => ({ run: answers.shift() ?? null }),
      listRuns: (input) => ({
        runs: (input as { ids?: string[] }).ids?.includes('cli-run')
          ? [{ id: 'cli-run', batchRunId: 'batch_cli', status: 'completed', mode: 'normal', triggeredBy: 'cli', startedAt: '2025-09-30T23:10:00Z', completedAt: '2025-09-30T23:20:00Z', totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 600, options: {} }]
          : [],
      }),
    });
    const advance = (ms: number) =>
      act(async () => {
        await vi.advanceTimersByTimeAsync(ms);
      });
    render(view(<HeaderRun onOpen={() => undefined} />));
    const start = runStartEvent(1, { dates: 1 });
    transport.emit({ ...start, payload: { ...(start.payload as object), mode: 'monitor' } });
    await advance(200);
    // While this window's run lasts, no other is looked for; once it is over, at once.
    transport.emit(runResult(2, 'completed', false));
    await advance(200);
    expect(screen.getByTestId('header-run').textContent).toBe('CLI run: 50/356 dates');
    expect(screen.getByTestId('header-run').getAttribute('data-source')).toBe('other');
    expect(screen.getByTestId('header-run').getAttribute('data-state')).toBe('running');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('header-run').textContent).toBe('CLI run completed');
    expect(screen.getByTestId('header-run').getAttribute('data-state')).toBe('completed');
  });

  /** A run of the history: by `triggeredBy`, started at `startedAt`, ended with `status`. */
  const historyRun = (id: string, triggeredBy: string, startedAt: string, status = 'completed') => ({ id, batchRunId: `batch_${id}`, status, mode: 'normal', triggeredBy, startedAt, completedAt: startedAt, totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 2, options: {} });
  const advance = (ms: number) =>
    act(async () => {
      await vi.advanceTimersByTimeAsync(ms);
    });

  it('after a reload, names a run of the CLI that ended after this window\'s last run, not this window\'s run', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // The engine's ring holds this window's run (started 23:00); the CLI ran at 23:10, while the page was away.
    const { live, view } = setup({
      recentEvents: () => ({ events: [runResult(2, 'completed', false)], runStart: runStartEvent(1) }),
      listRuns: (input) => ({ runs: (input as { ids?: string[] }).ids ? [] : [historyRun('cli-run', 'cli', '2025-09-30T23:10:00.000000Z')] }),
    });
    render(view(<HeaderRun onOpen={() => undefined} />));
    await act(() => live.rebuild());
    await advance(0);
    expect(live.getSnapshot().run?.runId).toBe('run-1');
    expect(screen.getByTestId('header-run').textContent).toBe('CLI run completed');
    expect(screen.getByTestId('header-run').getAttribute('data-source')).toBe('history');
  });

  it('names a run of the CLI shorter than the watch interval, and reads the grid again for it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // The lock is never seen held: the CLI's run starts and ends between two looks.
    let latest = [historyRun('old-run', 'app', '2025-09-30T22:00:00.000000Z')];
    const { transport, view } = setup({ listRuns: (input) => ({ runs: (input as { ids?: string[] }).ids ? [] : latest }) });
    const calls = (name: string) => transport.calls.filter((c) => c.name === name).length;
    render(view(<HeaderRun onOpen={() => undefined} />));
    await advance(0);
    expect(screen.getByTestId('header-run').textContent).toBe('desktop app run completed');
    const reads = calls('getTracking');
    latest = [historyRun('cli-run', 'cli', '2025-09-30T23:10:00.000000Z', 'partial')];
    await advance(OTHER_RUN_IDLE_POLL_MS);
    expect(screen.getByTestId('header-run').textContent).toBe('CLI run partial');
    expect(calls('getTracking')).toBe(reads + 1);
    // Nothing new at the next look: nothing read again.
    await advance(OTHER_RUN_IDLE_POLL_MS);
    expect(calls('getTracking')).toBe(reads + 1);
  });

  it("names this window's run once it is the latest, and its end does not read the grid twice", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let latest = [historyRun('cli-run', 'cli', '2025-09-30T22:00:00.000000Z')];
    const { transport, view } = setup({ listRuns: (input) => ({ runs: (input as { ids?: string[] }).ids ? [] : latest }) });
    const calls = (name: string) => transport.calls.filter((c) => c.name === name).length;
    render(view(<HeaderRun onOpen={() => undefined} />));
    await advance(0);
    expect(screen.getByTestId('header-run').textContent).toBe('CLI run completed');
    transport.emit(runStartEvent(1, { dates: 1 }));
    await advance(200);
    expect(screen.getByTestId('header-run').textContent).toBe('run running: 0/1 dates');
    transport.emit(runResult(2, 'completed', false));
    latest = [historyRun('run-1', 'app', '2025-09-30T23:00:00.000000Z')];
    await advance(200);
    expect(screen.getByTestId('header-run').textContent).toBe('run completed: 0/1 dates');
    expect(screen.getByTestId('header-run').getAttribute('data-source')).toBe('app');
    // The run's end read the grid once; its history row, read at the next looks, is not news.
    const reads = calls('getTracking');
    await advance(OTHER_RUN_IDLE_POLL_MS * 2);
    expect(calls('getTracking')).toBe(reads);
  });
});

describe('resuming the cancelled live run', () => {
  it('names the run and its dates left while it starts, and resumes that run', async () => {
    fakeLayout();
    let answer: (v: unknown) => void = () => undefined;
    const { transport, live, view } = setup({
      planRun: () => resumePlan(['2025-07-02', '2025-07-03']),
      startRun: () => new Promise((r) => (answer = r)),
    });
    transport.emit(runStartEvent(1));
    transport.emit(dateResultEvent('2025-07-01', 'success', 2));
    transport.emit(runResult(3, 'cancelled', true));
    await waitFor(() => expect(live.getSnapshot().notRunDates).toEqual(['2025-07-02', '2025-07-03']));
    render(view(<RunScreen />));
    fireEvent.click(screen.getByTestId('run-resume'));
    await waitFor(() => expect(screen.getByTestId('start-outcome').textContent).toBe('Resuming batch_run-1: 2 dates...'));
    expect(transport.calls.find((c) => c.name === 'startRun')?.input).toMatchObject({ resume: 'run-1' });
    expect(live.getSnapshot().plannedDates).toEqual(['2025-07-02', '2025-07-03']);
    answer({ accepted: true, status: { ...IDLE, state: 'running', runId: 'run-2', batchRunId: 'batch_run-2' } });
  });
});

describe('the progress line and the grid columns', () => {
  const row = ruleOf('.grid-row');
  /** Each column's minimum: "6.5rem", or "repeat(6, minmax(4.5rem, 1fr))" for the six phases. */
  const minimums = ((/grid-template-columns:\s*([^;]+);/.exec(row)?.[1] ?? '').match(/repeat\([^()]*\([^()]*\)\)|\S+/g) ?? []).flatMap((t) => {
    const rep = /^repeat\((\d+),\s*minmax\(([\d.]+rem),\s*1fr\)\)$/.exec(t);
    return rep ? Array.from({ length: Number(rep[1]) }, () => px(rep[2]!)) : [px(t)];
  });
  /** The row's min-width (a calc of rem and px terms, some "n * x"). */
  const rowMinWidth = (/min-width:\s*calc\(([^;]+)\);/.exec(row)?.[1] ?? '').split('+').reduce((sum, term) => sum + term.split('*').map((f) => (/^\s*[\d.]+\s*$/.test(f) ? Number(f) : px(f.trim()))).reduce((a, b) => a * b, 1), 0);

  it('names the phase being run as the rest of the app does', async () => {
    const { transport, view } = setup({});
    render(view(<LiveScreen />));
    transport.emit(runStartEvent(1));
    transport.emit(phaseStartEvent('2025-07-01', 'market_data', null, 2));
    await waitFor(() => expect(screen.getByTestId('current-cell').textContent).toBe('now: 2025-07-01 market data'));
  });

  it('shows the progress text beside the bar, not on it', async () => {
    const { transport, view } = setup({});
    render(view(<LiveScreen />));
    transport.emit(runStartEvent(1));
    await waitFor(() => expect(screen.getByTestId('progress-text').textContent).toContain('0 / 3 dates done'));
    expect(screen.getByTestId('progress').contains(screen.getByTestId('progress-text'))).toBe(false);
  });

  it('labels the retries as counting price and profile requests, which the run summary does not', async () => {
    const { transport, view } = setup({});
    render(view(<LiveScreen />));
    transport.emit(runStartEvent(1));
    transport.emit(metricEvent('provider_retry', 50, 2));
    await waitFor(() => expect(screen.getByTestId('counter-retries').textContent).toBe('1'));
    const label = screen.getByTestId('counter-retries').previousElementSibling!;
    expect(label.textContent).toBe('Retries (prices and profiles)');
    expect(label.getAttribute('title')).toBe("Yahoo requests sent again after a failure, for prices and for company profiles; the run summary's retries count those of price requests only");
  });

  it('gives Missing and Fallback columns room for their headings, with a gap between columns', () => {
    const [missing, fallback] = minimums.slice(-3);
    // "Fallback" in 12px bold is about 52px wide: 4.5rem (72px) leaves room on both sides.
    expect(missing).toBeGreaterThanOrEqual(4.5 * REM);
    expect(fallback).toBeGreaterThanOrEqual(4.5 * REM);
    expect(Number(/column-gap:\s*(\d+)px/.exec(row)?.[1] ?? /\bgap:\s*(\d+)px/.exec(row)?.[1] ?? 0)).toBeGreaterThanOrEqual(8);
  });

  it('keeps every column at least its minimum in a narrow grid, which scrolls sideways with its headings', () => {
    expect(minimums).toHaveLength(11);
    // "analytics" and "sectors" in 12px bold need about 60px: no phase heading runs into the next.
    for (const m of minimums.slice(2, 8)) expect(m).toBeGreaterThanOrEqual(4.5 * REM);
    const gap = px(/column-gap:\s*([\d.]+px)/.exec(row)?.[1] ?? '');
    const padding = px(/padding:\s*0 ([\d.]+px)/.exec(row)?.[1] ?? '');
    // The row's min-width is the columns, gaps and padding: never narrower.
    expect(rowMinWidth).toBe(minimums.reduce((a, b) => a + b, 0) + gap * (minimums.length - 1) + 2 * padding);
    // The heading row is in the scroller with the rows (it scrolls sideways with them), stuck to its top.
    render(<PhaseGrid dates={['2025-07-01']} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    const head = screen.getAllByRole('row')[0]!;
    expect(head.parentElement).toBe(screen.getByTestId('phase-grid').querySelector('.grid-body'));
    expect(ruleOf('.grid-head')).toMatch(/position:\s*sticky;[^}]*top:\s*0;/);
    // A heading too long for its column is cut (its full name is in its title), never drawn over the next one.
    expect(ruleOf(".grid-head [role='columnheader']")).toMatch(/overflow:\s*hidden;[^}]*white-space:\s*nowrap;/);
  });

  it('fits every column of the grid in a 1024 px window, without a sideways scroll, and its sticky date column covers the gap after it', () => {
    // The grid's width at least: its rows, its border and its own scrollbar (its rows scroll).
    expect(rowMinWidth + 2 * lengthOf(ruleOf('.grid'), 'border') + SCROLLBAR).toBeLessThanOrEqual(screenWidth(1024));
    const gap = px(/column-gap:\s*([\d.]+px)/.exec(row)?.[1] ?? '');
    expect(lengthOf(ruleOf(".grid-head > [role='columnheader']:first-child"), 'box-shadow')).toBe(gap);
  });

  it('fits every column of the grid beside an open cell detail in a 1280 px window: the panel goes below it, and beside it where both fit', () => {
    // The split is a wrapping flex row: the grid's basis is its columns (auto: the heading row's min-width), the panel's 320px.
    const split = ruleOf('.split');
    expect(split).toMatch(/display:\s*flex;/);
    expect(split).toMatch(/flex-wrap:\s*wrap;/);
    const flex = (selector: string) => /flex:\s*([\d.]+) ([\d.]+) (\S+);/.exec(ruleOf(selector))?.slice(1) ?? [];
    const [gridGrow, , gridBasis] = flex('.split > .grid');
    const [panelGrow, , panelBasis] = flex('.split > .cell-detail');
    expect(gridBasis).toBe('auto');
    // The grid's width at least: its rows, its border and its own scrollbar (its rows scroll).
    const gridMin = rowMinWidth + 2 * lengthOf(ruleOf('.grid'), 'border') + SCROLLBAR;
    const gap = lengthOf(split, 'gap');
    /** The width the grid's rows get beside (or above) an open panel, as flex-wrap lays them out. */
    const rowsWidth = (windowWidth: number) => {
      const width = screenWidth(windowWidth);
      const free = width - gridMin - gap - px(panelBasis!);
      const grid = free < 0 ? width : gridMin + (free * Number(gridGrow)) / (Number(gridGrow) + Number(panelGrow));
      return { wraps: free < 0, rows: grid - 2 * lengthOf(ruleOf('.grid'), 'border') - SCROLLBAR };
    };
    // At 1280 px the panel goes below the grid, whose rows keep every column without a sideways scroll.
    expect(rowsWidth(1280).wraps).toBe(true);
    expect(rowsWidth(1280).rows).toBeGreaterThanOrEqual(rowMinWidth);
    // At 1440 px (and wider) both fit side by side, the grid still whole.
    expect(rowsWidth(1440).wraps).toBe(false);
    expect(rowsWidth(1440).rows).toBeGreaterThanOrEqual(rowMinWidth);
    // Alone on a line narrower than its columns (a window narrower than 1024 px), the grid shrinks and scrolls sideways, not the page.
    expect(ruleOf('.split > .grid')).toMatch(/min-width:\s*0;/);
  });
});
