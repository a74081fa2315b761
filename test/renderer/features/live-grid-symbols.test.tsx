// @vitest-environment happy-dom
/**
 * Every status of the Live grid reads without colour: each cell class (ok, warning, failed,
 * running, pending, skipped or not run) shows its own symbol, ok and pending included, and the
 * legend beside the grid names each symbol; each cell's tooltip names its status.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CELL_MARK } from '../../../renderer/features/telemetry/phase-grid';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { dateResultEvent, phaseResultEvent, phaseStartEvent, runStartEvent } from '../../support/telemetry/event-builders';

beforeEach(() => {
  fakeLayout(); // so the virtualized grid renders rows
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A run on 07-01 (ok, warning, failed and skipped cells) still running on 07-02 (running and pending cells). */
async function renderGrid() {
  const { transport } = renderLiveScreen({ listPortfolios: () => ({ portfolios: [] }) });
  await act(async () => {
    transport.emit({
      events: [
        runStartEvent(1),
        phaseResultEvent('2025-07-01', 'fundamentals', null, 'success', 3),
        phaseResultEvent('2025-07-01', 'marks', 'p1', 'failed', 4),
        phaseResultEvent('2025-07-01', 'snapshots', 'p1', 'skipped', 5),
        // The date's result sets market_data's status to the date's.
        dateResultEvent('2025-07-01', 'partial', 6),
        phaseStartEvent('2025-07-02', 'market_data', null, 7),
      ],
      counts: {},
      coalesced: 0,
    });
  });
  await waitFor(() => expect(screen.getByTestId('cell-2025-07-02-market_data')).toBeTruthy());
}

const cell = (date: string, phase: string) => screen.getByTestId(`cell-${date}-${phase}`);

describe('the Live grid without colour', () => {
  it('gives each status class its own symbol', () => {
    const marks = Object.values(CELL_MARK);
    expect(marks.every((m) => m.trim() !== '')).toBe(true);
    expect(new Set(marks).size).toBe(marks.length);
  });

  it('shows a symbol in every cell, ok and pending ones included, and names the status in the tooltip', async () => {
    await renderGrid();
    const seen: Record<string, string> = {};
    for (const [date, phase] of [
      ['2025-07-01', 'market_data'],
      ['2025-07-01', 'fundamentals'],
      ['2025-07-01', 'marks'],
      ['2025-07-01', 'snapshots'],
      ['2025-07-02', 'market_data'],
      ['2025-07-02', 'marks'],
    ] as const) {
      const c = cell(date, phase);
      seen[c.getAttribute('data-status')!] = c.textContent!;
    }
    expect(seen).toEqual({ ok: CELL_MARK.ok, warning: CELL_MARK.warning, failed: CELL_MARK.failed, skipped: CELL_MARK.skipped, running: CELL_MARK.running, pending: CELL_MARK.pending });
    // Six statuses, six symbols: none is blank, no two alike.
    const symbols = Object.values(seen);
    expect(symbols.filter((m) => m.trim() !== '')).toHaveLength(6);
    expect(new Set(symbols).size).toBe(6);
    expect(cell('2025-07-01', 'fundamentals').getAttribute('title')).toBe('fundamentals: success');
    expect(cell('2025-07-02', 'marks').getAttribute('title')).toBe('marks: pending');
  });

  it('has a legend naming the symbol of each status', async () => {
    await renderGrid();
    const legend = screen.getByTestId('grid-legend');
    const items = within(legend)
      .getAllByRole('listitem')
      .map((li) => [li.querySelector('.cell')!.textContent, li.textContent!.slice(li.querySelector('.cell')!.textContent!.length).trim()]);
    expect(items).toEqual([
      [CELL_MARK.ok, 'ok'],
      [CELL_MARK.warning, 'warning (partial, stale)'],
      [CELL_MARK.failed, 'failed'],
      [CELL_MARK.running, 'running'],
      [CELL_MARK.pending, 'pending'],
      [CELL_MARK.skipped, 'skipped or not run'],
    ]);
  });
});
