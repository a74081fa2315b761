// @vitest-environment happy-dom
/**
 * The History screen's Runs table keeps each heading on one line: every column is at least as
 * wide as its heading (14px semibold), and the columns together fit a 1280 px window. Its Dates
 * column counts partial dates apart from the ok ones (a tester read 9 ok where 4 were partial).
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { HistoryScreen } from '../../../renderer/features/history/history-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport } from '../../support/app/fake-transport';
import { lengthOf, px, ruleOf, screenWidth } from '../stylesheet';

beforeEach(fakeLayout);
afterEach(cleanup);

/**
 * Each heading's width in px, in 14px semibold as Chromium draws it on Debian (DejaVu Sans, the
 * widest of the usual system fonts), rounded up.
 */
const HEADING_PX: Readonly<Record<string, number>> = { Run: 31, Started: 60, Outcome: 71, Duration: 70, Mode: 44, By: 20, 'Dates ok/partial/failed/all': 201, Options: 62 };

describe('the Runs table', () => {
  it('gives every heading room on one line, and fits a 1280 px window', async () => {
    const client = new EngineClient(
      new FakeTransport({
        getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [], latestSettledDate: null, tradingDaysAfterLast: [] }),
        listRuns: () => ({ runs: [{ id: 'r1', batchRunId: 'batch_20261127_225800_a1b2', status: 'interrupted', mode: 'monitor', triggeredBy: 'cli', startedAt: '2026-11-27T22:58:00Z', completedAt: null, totalJobs: 65, completedJobs: 60, failedJobs: 5, partialDates: null, durationSeconds: 3900, options: {} }, { id: 'r0', batchRunId: 'batch_20261126_225800_c3d4', status: 'partial', mode: 'normal', triggeredBy: 'cli', startedAt: '2026-11-26T22:58:00Z', completedAt: '2026-11-26T23:00:00Z', totalJobs: 9, completedJobs: 9, failedJobs: 0, partialDates: 4, durationSeconds: 120, options: {} }] }),
      }),
    );
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <HistoryScreen />
      </ServicesProvider>,
    );
    const head = await waitFor(() => screen.getByTestId('runs-table').querySelector<HTMLElement>('.table-head')!);
    const headings = [...head.querySelectorAll('[role=columnheader]')].map((h) => h.textContent ?? '');
    // Each track's least width: "14rem", or the minimum of "minmax(9rem, 1fr)".
    const tracks = (head.style.gridTemplateColumns.match(/minmax\([^()]*\)|\S+/g) ?? []).map((t) => px(/^minmax\(([^,]+),/.exec(t)?.[1] ?? t));
    expect(tracks).toHaveLength(headings.length);
    // A heading without a measured width (a new or renamed one) fails too.
    expect(headings.filter((h, i) => !(tracks[i]! >= HEADING_PX[h]!))).toEqual([]);
    // With the row's gaps and padding and the table's border, the columns fit the screen in a 1280 px window.
    const row = ruleOf('.table-head,\n.table-row');
    const width = tracks.reduce((a, b) => a + b, 0) + lengthOf(row, 'gap') * (tracks.length - 1) + 2 * px(/padding:\s*0 ([\d.]+px)/.exec(row)?.[1] ?? '') + 2 * lengthOf(ruleOf('.table'), 'border');
    expect(width).toBeLessThanOrEqual(screenWidth(1280));
    // Partial dates apart from the ok ones; a run still unfinished has no partial count yet.
    expect(screen.getByTestId('runs-table').textContent).toContain('5/4/0/9');
    expect(screen.getByTestId('runs-table').textContent).toContain('60/-/5/65');
  });
});
