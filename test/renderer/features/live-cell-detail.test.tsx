// @vitest-environment happy-dom
/**
 * The Live screen's cell detail is a keyboard-friendly drill-down: Escape closes it, from the
 * panel or from the grid, and the focus goes back to the cell it was opened from, as it does
 * after the Close button.
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { dateResultEvent, phaseResultEvent, runStartEvent } from '../../support/telemetry/event-builders';

beforeEach(() => {
  fakeLayout(); // so the virtualized grid renders rows
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function renderLive() {
  const { transport } = renderLiveScreen({ listPortfolios: () => ({ portfolios: [] }), getDateDetail: () => ({ row: null, phaseStatus: null, metadata: null }) });
  await act(async () => {
    transport.emit({ events: [runStartEvent(1), phaseResultEvent('2025-07-01', 'market_data', null, 'success', 2), dateResultEvent('2025-07-01', 'success', 3), dateResultEvent('2025-07-02', 'success', 4)], counts: {}, coalesced: 0 });
  });
  await waitFor(() => expect(screen.getByTestId('cell-2025-07-02-marks')).toBeTruthy());
}

describe('the Live cell detail', () => {
  it('closes with Escape from the panel and gives the focus back to its cell', async () => {
    await renderLive();
    const cell = screen.getByTestId('cell-2025-07-02-marks');
    fireEvent.click(cell);
    const panel = await screen.findByTestId('cell-detail');
    fireEvent.keyDown(panel.querySelector('button')!, { key: 'Escape' });
    expect(screen.queryByTestId('cell-detail')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('cell-2025-07-02-marks')));
  });

  it('closes with Escape while the focus is in the grid, and after Close the focus is on the cell', async () => {
    await renderLive();
    const cell = screen.getByTestId('cell-2025-07-01-market_data');
    cell.focus();
    fireEvent.click(cell);
    await screen.findByTestId('cell-detail');
    fireEvent.keyDown(cell, { key: 'Escape' });
    expect(screen.queryByTestId('cell-detail')).toBeNull();
    fireEvent.click(screen.getByTestId('cell-2025-07-02-marks'));
    fireEvent.click(await screen.findByRole('button', { name: 'Close the cell detail' }));
    expect(screen.queryByTestId('cell-detail')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('cell-2025-07-02-marks')));
  });
});
