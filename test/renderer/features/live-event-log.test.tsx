// @vitest-environment happy-dom
/**
 * The Live screen's event log holds the latest LOG_CAPACITY lines (SPEC.md h.7): once older
 * lines were dropped, it says how many it shows of how many arrived; before that, nothing.
 * With no line to show it says why: no events yet, or none matching the filters.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_CAPACITY } from '../../../renderer/state/live-run';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { dateResultEvent } from '../../support/telemetry/event-builders';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The Live screen over a store fed `events` date results (one log line each), in batches of 500. */
async function liveWithLines(events: number) {
  fakeLayout();
  const { transport, live } = renderLiveScreen({ listPortfolios: () => ({ portfolios: [] }), listRuns: () => ({ runs: [] }) });
  for (let seq = 1; seq <= events; seq += 500) {
    const batch = Array.from({ length: Math.min(500, events - seq + 1) }, (_, k) => dateResultEvent('2025-07-01', 'success', seq + k));
    transport.emit({ events: batch, counts: {}, coalesced: 0 });
  }
  await waitFor(() => expect(live.getSnapshot().logReceived).toBe(events));
  return live;
}

describe('the event log', () => {
  it('says it shows the latest lines of how many arrived once older ones were dropped', async () => {
    const live = await liveWithLines(LOG_CAPACITY + 500);
    expect(live.getSnapshot().log).toHaveLength(LOG_CAPACITY);
    await waitFor(() => expect(screen.getByTestId('log-dropped').textContent).toBe('Showing the latest 2,000 of 2,500 events: older lines were dropped.'));
  });

  it('says nothing of dropped lines while it holds every line', async () => {
    await liveWithLines(LOG_CAPACITY);
    expect(screen.getByTestId('event-log').textContent).toContain(`of ${LOG_CAPACITY} lines`);
    expect(screen.queryByTestId('log-dropped')).toBeNull();
  });

  it('says when it has no line yet, and when the filters match none', async () => {
    await liveWithLines(0);
    expect(screen.getByTestId('log-empty').textContent).toBe('No events yet.');
    cleanup();
    await liveWithLines(3);
    expect(screen.queryByTestId('log-empty')).toBeNull();
    fireEvent.change(screen.getByTestId('log-search'), { target: { value: 'no such line' } });
    expect(screen.getByTestId('log-empty').textContent).toBe('No lines match the filters.');
  });
});
