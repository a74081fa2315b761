// @vitest-environment happy-dom
/**
 * After a reload during a long run, the live view is rebuilt from the engine's event ring and
 * the tracking table (SPEC.md h.7). The ring holds the latest events only, so the run's dates
 * replayed from it are a part of those done: the header (and Live) must not show that partial
 * count ("2/292 dates") while the tracking rows are still being read, only the whole one.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import { HeaderRun } from '../../../renderer/app';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { trackingRow } from '../../support/app/tracking-row';
import { dateResultEvent, runStartEvent } from '../../support/telemetry/event-builders';

afterEach(cleanup);

/** Five dates the run has finished; the ring still holds the events of the last two only. */
const DONE = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'];
const RING = [dateResultEvent('2025-07-07', 'success', 40), dateResultEvent('2025-07-08', 'success', 41)];

describe('the header after a reload during a run', () => {
  it('shows no count while the rebuild reads the tracking rows, then the whole one', async () => {
    let answerTracking: (rows: TrackingRow[]) => void = () => undefined;
    const { transport, live } = renderLiveScreen(
      {
        recentEvents: () => ({ events: RING, runStart: runStartEvent(1, { dates: 292 }) }),
        getTracking: () => new Promise((resolve) => (answerTracking = (dates) => resolve({ dates, truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] }))),
        listRuns: () => ({ runs: [] }),
      },
      <HeaderRun onOpen={() => undefined} />,
    );
    const rebuilt = live.rebuild();
    await waitFor(() => expect(transport.calls.map((c) => c.name)).toContain('getTracking'));
    // The ring is replayed (2 dates) but the tracking rows are not read yet: no count is shown.
    expect(screen.getByTestId('header-run').textContent).not.toMatch(/\d+\/292/);
    expect(screen.getByTestId('header-run').getAttribute('data-state')).toBe('idle');
    await act(async () => {
      answerTracking(DONE.map((d) => trackingRow(d, { runId: 'run-1', batchRunId: 'batch_run-1' })));
      await rebuilt;
    });
    expect(screen.getByTestId('header-run').textContent).toBe('run running: 5/292 dates');
  });
});
