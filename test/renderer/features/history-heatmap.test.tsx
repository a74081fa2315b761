// @vitest-environment happy-dom
/**
 * The History heatmap tells a trading day that was never run (or was purged) apart from a
 * weekend or holiday: the contract lists the untracked trading days, the calendar marks them
 * as gaps, and the summary counts them. A gap opens the Run screen on a range from it.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { calendarMonths, gapStarts, heatmapMove, HistoryScreen } from '../../../renderer/features/history/history-screen';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

const row = (date: string): TrackingRow =>
  ({
    date,
    status: 'success',
    complete: true,
    startedAt: null,
    completedAt: `${date}T23:00:00.000000Z`,
    runId: null,
    batchRunId: null,
    mode: 'normal',
    phases: {},
    missingPriceCount: 0,
    fallbackCount: 0,
    modelCount: 0,
    coveragePct: null,
    usableCoveragePct: null,
    jobsExpected: 0,
    jobsCompleted: 0,
    errors: [],
  }) as unknown as TrackingRow;

afterEach(cleanup);

function renderHistory(tracked: readonly string[], untracked: readonly string[]) {
  const transport = new FakeTransport({
    getTracking: () => ({ dates: tracked.map(row), truncated: false, untrackedTradingDays: untracked }),
    listRuns: () => ({ runs: [] }),
  });
  const client = new EngineClient(transport);
  client.connect();
  const navigate = vi.fn();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <NavigationContext.Provider value={{ route: { screen: 'history', params: {} }, navigate }}>
        <HistoryScreen />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return navigate;
}

describe('History heatmap', () => {
  it('marks untracked trading days as gaps and counts them; weekends and holidays stay blank', async () => {
    // 2025-07-02 .. 07-08 tracked except 07-03 and 07-07; 07-04 is Independence Day, 07-05/06 a weekend.
    const transport = new FakeTransport({
      getTracking: () => ({ dates: ['2025-07-02', '2025-07-08'].map(row), truncated: false, untrackedTradingDays: ['2025-07-03', '2025-07-07'] }),
      listRuns: () => ({ runs: [] }),
    });
    const client = new EngineClient(transport);
    client.connect();
    const navigate = vi.fn();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <NavigationContext.Provider value={{ route: { screen: 'history', params: {} }, navigate }}>
          <HistoryScreen />
        </NavigationContext.Provider>
      </ServicesProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('history-counts').textContent).toBe('2 success, 2 trading days not run'));
    for (const d of ['2025-07-03', '2025-07-07']) {
      expect(screen.getByTestId(`day-${d}`).className).toContain('c-gap');
      expect(screen.getByTestId(`day-${d}`).getAttribute('aria-label')).toBe(`${d} trading day not run`);
    }
    expect(screen.getByTestId('day-2025-07-02').className).toContain('c-ok');
    for (const d of ['2025-07-04', '2025-07-05', '2025-07-06']) expect(screen.getByLabelText(`${d} not tracked`).className).toContain('c-none');
    // A gap opens the Run screen on a range from the gap's first day (to the latest, as `verify coverage` advises).
    fireEvent.click(screen.getByTestId('day-2025-07-07'));
    expect(navigate).toHaveBeenCalledWith('run', { startDate: '2025-07-03' });
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
        <RunScreen initialStartDate="2025-07-03" />
      </ServicesProvider>,
    );
    expect((screen.getByDisplayValue('range') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('run-start-date') as HTMLInputElement).value).toBe('2025-07-03');
    expect((screen.getByTestId('run-end-date') as HTMLInputElement).value).toBe('');
  });

  it('is one tab stop: arrow keys, Home/End and Ctrl+Home/End move the focus between days; Enter and Space open the day', async () => {
    // June 2 .. July 8 2025 tracked except the gap 07-03 (07-04 is a holiday).
    const tracked = ['2025-06-02', '2025-06-30', '2025-07-01', '2025-07-02', '2025-07-07', '2025-07-08'];
    const navigate = renderHistory(tracked, ['2025-07-03']);
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
    // Enter and Space open the focused day as a click does; a weekend opens nothing.
    press('Enter');
    expect(navigate).not.toHaveBeenCalled();
    cell('2025-07-02').focus();
    press('Enter');
    expect(navigate).toHaveBeenLastCalledWith('reconciliation', { date: '2025-07-02' });
    press('ArrowRight');
    press(' ');
    expect(navigate).toHaveBeenLastCalledWith('run', { startDate: '2025-07-03' });
    expect(navigate).toHaveBeenCalledTimes(2);
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
    expect(heatmapMove(months, '2025-08-01', 'ArrowLeft', false)).toBeNull();
  });
});
