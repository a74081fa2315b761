// @vitest-environment happy-dom
/**
 * The History heatmap tells a trading day that was never run (or was purged) apart from a
 * weekend or holiday: the contract lists the untracked trading days, the calendar marks them
 * as gaps, and the summary counts them. A gap opens the Run screen on a range from it.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { gapStarts, HistoryScreen } from '../../../renderer/features/history/history-screen';
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
});
