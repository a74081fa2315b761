// @vitest-environment happy-dom
/**
 * The Live cell detail says why a phase did not succeed in words, not as a bare reason code
 * (testers saw `upstream_failed`, `insufficient_marks`): the phase's reason and each
 * portfolio's read as words with the code kept after them, muted, so it stays searchable; a
 * code the words do not know reads as its words (codeWords). The grid cell's tooltip says the
 * words and the code too.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { trackingRow } from '../../support/app/tracking-row';
import { dateResultEvent, phaseResultEvent, runStartEvent } from '../../support/telemetry/event-builders';

const DATE = '2025-07-15';
const P1 = '9381dd8d-db58-9843-f5e4-4eea0ae62e9a';
const P2 = 'ab46c3c0-0000-4000-8000-000000000000';
const PORTFOLIOS = [
  { id: P1, name: 'Public Growth', accountName: 'Demo', isActive: true, deleted: false, equityBalance: null, initialEquity: null, positions: 12, firstEntryDate: null, latestSnapshotDate: null },
  { id: P2, name: 'Hedge', accountName: 'Demo', isActive: true, deleted: false, equityBalance: null, initialEquity: null, positions: 3, firstEntryDate: null, latestSnapshotDate: null },
];

const entry = (status: string, reason: string | null, error: string | null = null) => ({ status, startedAt: null, durationMs: 41, reason, error });
const ROW = trackingRow(DATE, {
  phases: {
    market_data: { ...entry('failed', 'benchmark_missing', 'SPY has no close on 2025-07-15'), portfolios: null },
    analytics: { ...entry('partial', null), portfolios: { [P1]: entry('skipped', 'insufficient_marks'), [P2]: entry('failed', 'some_new_code', 'boom') } },
  },
});

beforeEach(fakeLayout);
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openCell(phase: string) {
  const { transport } = renderLiveScreen({
    listPortfolios: () => ({ portfolios: PORTFOLIOS }),
    getDateDetail: () => ({ row: ROW, phaseStatus: null, metadata: null }),
  });
  await act(async () => {
    transport.emit({
      events: [runStartEvent(1), phaseResultEvent(DATE, 'market_data', null, 'failed', 2, { reason: 'benchmark_missing', error: 'SPY has no close on 2025-07-15' }), dateResultEvent(DATE, 'failed', 3)],
      counts: {},
      coalesced: 0,
    });
  });
  const button = await screen.findByTestId(`cell-${DATE}-${phase}`);
  fireEvent.click(button);
  const panel = await screen.findByTestId('cell-detail');
  await waitFor(() => expect(panel.getAttribute('data-loaded')).toBe('true'));
  return { panel, button };
}

describe('a reason in the cell detail', () => {
  it("the phase's reason reads as words, its code kept after them, muted", async () => {
    const { panel, button } = await openCell('market_data');
    const line = within(panel).getByTestId('cell-detail-status').parentElement!;
    expect(line.textContent).toBe('Status failed reason no close of the benchmark, SPY (benchmark_missing)');
    const code = within(panel).getByTestId('cell-detail-reason');
    expect(code.textContent).toBe('benchmark_missing');
    expect(code.closest('.muted')).not.toBeNull();
    expect(button.getAttribute('title')).toBe('market data: failed: no close of the benchmark, SPY (benchmark_missing)');
  });

  it("each portfolio's reason reads as words with its code, then its error; an unknown code as its words", async () => {
    const { panel } = await openCell('analytics');
    const rows = [...within(panel).getByTestId('cell-detail-portfolios').querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')]);
    expect(rows.map((r) => [r[0]!.textContent, r[3]!.textContent])).toEqual([
      ['Public Growth', 'too many unmarked positions for the coverage guard (insufficient_marks)'],
      ['Hedge', 'some new code (some_new_code): boom'],
    ]);
    expect(rows[0]![3]!.querySelector('.muted code')?.textContent).toBe('insufficient_marks');
  });
});
