// @vitest-environment happy-dom
/**
 * The History heatmap tells a trading day that was never run (or was purged) apart from a
 * weekend or holiday: the contract lists the untracked trading days, the calendar marks them
 * as gaps, and the summary counts them. A gap opens the Run screen on a range from it. The
 * calendar runs to the latest settled date, which the same tracking answer gives with the
 * trading days after the last processed one (not run too; no run is planned for them);
 * weekends and holidays, days before the first tracked date and days not settled yet each have
 * their own name. A failed date opens the Debug screen. Refresh and the end of a run (the live
 * store's run_result) re-read the heatmap.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { calendarMonths, gapStarts, heatmapMove, HistoryScreen } from '../../../renderer/features/history/history-screen';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { trackingRow } from '../../support/app/tracking-row';
import { FakeTransport } from '../../support/app/fake-transport';
import { runStartEvent } from '../../support/telemetry/event-builders';

const row = (date: string, status = 'success'): TrackingRow => trackingRow(date, { status, completedAt: `${date}T23:00:00.000000Z` });

afterEach(cleanup);

/** What the tracking answer says of the latest settled date (null: unknown) and the trading days after the last tracked date up to it. */
interface Settled {
  latestSettledDate: string | null;
  tradingDaysAfterLast: readonly string[];
}

/**
 * The History screen on a fake engine whose tracking lists `tracked` (each a date, or a date
 * and its status), `untracked` and `settled` (each read again at every call); the engine knows
 * getTracking and listRuns only. The live store follows the transport's telemetry.
 */
function renderHistory(tracked: readonly (string | [string, string])[], untracked: readonly string[], settled: Settled = { latestSettledDate: null, tradingDaysAfterLast: [] }) {
  const transport = new FakeTransport({
    getTracking: () => ({ dates: tracked.map((t) => (typeof t === 'string' ? row(t) : row(...t))), truncated: false, untrackedTradingDays: untracked, ...settled }),
    listRuns: () => ({ runs: [] }),
  });
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const navigate = vi.fn();
  render(
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'history', params: {} }, navigate }}>
        <HistoryScreen />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return { navigate, transport };
}

/** The trading days of July 2025 from the 9th. */
const JULY_FROM_9 = ['09', '10', '11', '14', '15', '16', '17', '18', '21', '22', '23', '24', '25', '28', '29', '30', '31'].map((d) => `2025-07-${d}`);

const label = (d: string) => screen.getByTestId('history-heatmap').querySelector(`[data-date="${d}"]`)?.getAttribute('aria-label');

describe('History heatmap', () => {
  it('marks untracked trading days as gaps and counts them; weekends and holidays stay blank', async () => {
    // 2025-07-02 .. 07-08 tracked except 07-03 and 07-07; 07-04 is Independence Day, 07-05/06 a weekend.
    const { navigate } = renderHistory(['2025-07-02', '2025-07-08'], ['2025-07-03', '2025-07-07']);
    await waitFor(() => expect(screen.getByTestId('history-counts').textContent).toBe('2 success, 2 trading days not run'));
    for (const d of ['2025-07-03', '2025-07-07']) {
      expect(screen.getByTestId(`day-${d}`).className).toContain('c-gap');
      expect(screen.getByTestId(`day-${d}`).getAttribute('aria-label')).toBe(`${d} trading day not run`);
    }
    expect(screen.getByTestId('day-2025-07-02').className).toContain('c-ok');
    for (const d of ['2025-07-04', '2025-07-05', '2025-07-06']) expect(screen.getByLabelText(`${d} weekend or holiday`).className).toContain('c-none');
    // A gap opens the Run screen on a range from the gap's first day (to the latest, as `verify coverage` advises).
    fireEvent.click(screen.getByTestId('day-2025-07-07'));
    expect(navigate).toHaveBeenCalledWith('run', { startDate: '2025-07-03' });
  });

  it('runs to the latest settled date: the trading days after the last processed one are not run, and each other day has its own name', async () => {
    const { navigate, transport } = renderHistory(['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-08'], ['2025-07-03', '2025-07-07'], {
      latestSettledDate: '2025-08-01',
      tradingDaysAfterLast: [...JULY_FROM_9, '2025-08-01'],
    });
    // The tracking answer gives the latest settled date and the trading days up to it: the screen plans no run for them.
    await waitFor(() => expect(screen.getByTestId('history-counts').textContent).toBe('4 success, 20 trading days not run'));
    // (The live store's look at the lock for a run of another process is none of the screen's reads.)
    expect(transport.calls.map((c) => c.name).filter((n) => n !== 'listRuns' && n !== 'getOtherProcessRun')).toEqual(['getTracking']);
    expect(screen.queryByTestId('history-settled-error')).toBeNull();
    // The calendar goes on to the latest settled date's month.
    expect(screen.getByRole('rowgroup', { name: 'August 2025' })).toBeTruthy();
    for (const d of ['2025-07-09', '2025-07-31', '2025-08-01']) {
      expect(screen.getByTestId(`day-${d}`).className).toContain('c-gap');
      expect(label(d)).toBe(`${d} trading day not run`);
    }
    expect(label('2025-07-08')).toBe('2025-07-08 success');
    expect(label('2025-07-04')).toBe('2025-07-04 weekend or holiday');
    expect(label('2025-07-12')).toBe('2025-07-12 weekend or holiday');
    expect(label('2025-08-02')).toBe('2025-08-02 not settled yet');
    expect(label('2025-06-27')).toBe('2025-06-27 before the first tracked date');
    expect(label('2025-08-04')).toBe('2025-08-04 not settled yet');
    expect(screen.getByLabelText('2025-06-27 before the first tracked date').className).toContain('c-before');
    expect(screen.getByLabelText('2025-08-04 not settled yet').className).toContain('c-after');
    // Each kind has its legend entry.
    const legend = screen.getByTestId('history-legend').textContent;
    for (const entry of ['trading day not run (never run, or purged), up to the latest settled date (2025-08-01)', 'weekend or holiday', 'before the first tracked date', 'not settled yet']) {
      expect(legend).toContain(entry);
    }
    // A day after the last processed one opens the Run screen from the first of them.
    fireEvent.click(screen.getByTestId('day-2025-07-21'));
    expect(navigate).toHaveBeenLastCalledWith('run', { startDate: '2025-07-09' });
  });

  it('ends at the last tracked date, and says so, when the latest settled date is unknown', async () => {
    renderHistory(['2025-07-01', '2025-07-02'], []);
    await waitFor(() => screen.getByTestId('history-settled-error'));
    expect(screen.getByTestId('history-settled-error').textContent).toContain('the calendar ends at the last tracked date');
    expect(screen.queryByRole('rowgroup', { name: 'August 2025' })).toBeNull();
    expect(label('2025-07-03')).toBe('2025-07-03 after the last tracked date');
    expect(screen.getByTestId('history-counts').textContent).toBe('2 success');
  });

  it('Refresh and the end of a run re-read the heatmap', async () => {
    const tracked = ['2025-07-01'];
    const settled: Settled = { latestSettledDate: '2025-07-03', tradingDaysAfterLast: ['2025-07-02', '2025-07-03'] };
    const { transport } = renderHistory(tracked, [], settled);
    await waitFor(() => screen.getByTestId('day-2025-07-01'));
    expect(screen.getByTestId('day-2025-07-02').className).toContain('c-gap');
    // A run ends (run_result through the live store): the date it processed appears.
    tracked.push('2025-07-02');
    settled.tradingDaysAfterLast = ['2025-07-03'];
    const runResult = { ...runStartEvent(2), event: 'run_result', payload: { status: 'completed', exit_code: 0, dates_planned: 1, dates_succeeded: 1, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 100, cancelled: false, guard_status: null } } as TelemetryEvent;
    await act(async () => {
      transport.emit({ events: [runStartEvent(1), runResult], counts: {}, coalesced: 0 });
    });
    await waitFor(() => expect(screen.getByTestId('day-2025-07-02').className).toContain('c-ok'));
    expect(screen.getByTestId('day-2025-07-03').className).toContain('c-gap');
    // Refresh re-reads it too (here: a date tracked by another process, and a later settled date).
    tracked.push('2025-07-03');
    Object.assign(settled, { latestSettledDate: '2025-07-07', tradingDaysAfterLast: ['2025-07-07'] });
    fireEvent.click(screen.getByTestId('history-refresh'));
    await waitFor(() => expect(screen.getByTestId('day-2025-07-03').className).toContain('c-ok'));
    expect(screen.getByTestId('day-2025-07-07').className).toContain('c-gap');
    expect(label('2025-07-08')).toBe('2025-07-08 not settled yet');
  });

  it('a gap starts at its first untracked day; a tracked date between two untracked days splits them', () => {
    expect([...gapStarts(['2025-07-02', '2025-07-08'], ['2025-07-03', '2025-07-07'])]).toEqual([
      ['2025-07-03', '2025-07-03'],
      ['2025-07-07', '2025-07-03'],
    ]);
    expect([...gapStarts(['2025-07-01', '2025-07-03', '2025-07-08'], ['2025-07-02', '2025-07-07'])]).toEqual([
      ['2025-07-02', '2025-07-02'],
      ['2025-07-07', '2025-07-07'],
    ]);
    expect(gapStarts(['2025-07-01'], []).size).toBe(0);
  });

  it('the Run screen opened from a gap starts on a date range from that date', () => {
    const client = new EngineClient(new FakeTransport());
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <RunScreen opening={{ startDate: '2025-07-03' }} />
      </ServicesProvider>,
    );
    expect((screen.getByDisplayValue('range') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('run-start-date') as HTMLInputElement).value).toBe('2025-07-03');
    expect((screen.getByTestId('run-end-date') as HTMLInputElement).value).toBe('');
    // The empty end date says what it means: up to the latest settled date.
    expect(screen.getByTestId('run-end-date-hint').textContent).toBe('Empty: up to the latest settled date.');
    fireEvent.change(screen.getByTestId('run-end-date'), { target: { value: '2025-07-08' } });
    expect(screen.queryByTestId('run-end-date-hint')).toBeNull();
  });

  it('is one tab stop: arrow keys, Home/End and Ctrl+Home/End move the focus between days; Enter and Space open the day', async () => {
    // June 2 .. July 8 2025 tracked except the gap 07-03 (07-04 is a holiday).
    const tracked: (string | [string, string])[] = ['2025-06-02', '2025-06-30', ['2025-07-01', 'failed'], '2025-07-02', '2025-07-07', '2025-07-08'];
    const { navigate } = renderHistory(tracked, ['2025-07-03']);
    await waitFor(() => screen.getByTestId('day-2025-07-08'));
    const grid = screen.getByRole('grid', { name: 'Date coverage' });
    const stops = () => [...grid.querySelectorAll<HTMLElement>('[tabindex="0"]')].map((e) => e.dataset['date']);
    // One tab stop for the whole calendar (two months, 61 days), on the latest tracked date.
    expect(grid.querySelectorAll('[role=gridcell][data-date]').length).toBe(61);
    expect(stops()).toEqual(['2025-07-08']);
    const cell = (d: string) => grid.querySelector<HTMLElement>(`[data-date="${d}"]`)!;
    const press = (key: string, init: { ctrlKey?: boolean } = {}) => fireEvent.keyDown(document.activeElement!, { key, ...init });
    cell('2025-07-08').focus();
    press('ArrowLeft');
    expect(document.activeElement).toBe(cell('2025-07-07'));
    expect(stops()).toEqual(['2025-07-07']);
    // Left from a Monday goes to the Sunday before; up keeps the weekday, across the month boundary.
    press('ArrowLeft');
    expect(document.activeElement).toBe(cell('2025-07-06'));
    press('ArrowUp');
    press('ArrowUp');
    expect(document.activeElement).toBe(cell('2025-06-22'));
    press('ArrowDown');
    press('ArrowRight');
    expect(document.activeElement).toBe(cell('2025-06-30'));
    press('End');
    expect(document.activeElement).toBe(cell('2025-06-30'));
    press('Home');
    expect(document.activeElement).toBe(cell('2025-06-30'));
    press('ArrowDown');
    expect(document.activeElement).toBe(cell('2025-07-07'));
    press('End');
    expect(document.activeElement).toBe(cell('2025-07-13'));
    press('Home', { ctrlKey: true });
    expect(document.activeElement).toBe(cell('2025-06-01'));
    press('End', { ctrlKey: true });
    expect(document.activeElement).toBe(cell('2025-07-31'));
    expect(stops()).toEqual(['2025-07-31']);
    // PageUp/PageDown move by month: the same day, else the month's last day; the same day at the calendar's edge.
    press('PageUp');
    expect(document.activeElement).toBe(cell('2025-06-30'));
    press('PageUp');
    expect(document.activeElement).toBe(cell('2025-06-30'));
    press('PageDown');
    expect(document.activeElement).toBe(cell('2025-07-30'));
    press('ArrowRight');
    // Enter and Space open the focused day as a click does; a day neither tracked nor a gap (after the last tracked date) opens nothing.
    press('Enter');
    expect(navigate).not.toHaveBeenCalled();
    cell('2025-07-02').focus();
    press('Enter');
    expect(navigate).toHaveBeenLastCalledWith('reconciliation', { date: '2025-07-02' });
    press('ArrowRight');
    press(' ');
    expect(navigate).toHaveBeenLastCalledWith('run', { startDate: '2025-07-03' });
    // A failed date opens the Debug screen on it (Reconciliation has nothing for it), by key or click.
    press('Home');
    expect(document.activeElement).toBe(cell('2025-07-01'));
    press(' ');
    expect(navigate).toHaveBeenLastCalledWith('debug', { date: '2025-07-01' });
    fireEvent.click(cell('2025-07-01'));
    expect(navigate).toHaveBeenLastCalledWith('debug', { date: '2025-07-01' });
    expect(navigate).toHaveBeenCalledTimes(4);
    // Clicking a day makes it the tab stop.
    fireEvent.focus(cell('2025-06-30'));
    expect(stops()).toEqual(['2025-06-30']);
  });

  it('heatmapMove stays on the calendar at its edges and ignores other keys', () => {
    const months = calendarMonths('2025-06-02', '2025-07-08');
    expect(heatmapMove(months, '2025-06-01', 'ArrowLeft', false)).toBe('2025-06-01');
    expect(heatmapMove(months, '2025-06-03', 'ArrowUp', false)).toBe('2025-06-03');
    expect(heatmapMove(months, '2025-07-31', 'ArrowRight', false)).toBe('2025-07-31');
    expect(heatmapMove(months, '2025-07-29', 'ArrowDown', false)).toBe('2025-07-29');
    expect(heatmapMove(months, '2025-07-01', 'Home', false)).toBe('2025-07-01');
    expect(heatmapMove(months, '2025-07-01', 'a', false)).toBeNull();
    expect(heatmapMove(months, '2025-06-15', 'PageDown', false)).toBe('2025-07-15');
    expect(heatmapMove(months, '2025-07-31', 'PageUp', false)).toBe('2025-06-30');
    expect(heatmapMove(months, '2025-06-15', 'PageUp', false)).toBe('2025-06-15');
    expect(heatmapMove(months, '2025-07-15', 'PageDown', false)).toBe('2025-07-15');
    expect(heatmapMove(months, '2025-08-01', 'ArrowLeft', false)).toBeNull();
  });
});
