// @vitest-environment happy-dom
/**
 * A day picked on the History screen opens another screen on that date (Reconciliation, or
 * Debug for a failed day). The app keeps the date while other screens show: going to another
 * screen and back by the navigation finds it still there. A date the user did not pick is the
 * latest complete one, read anew.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../renderer/app';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';
import { trackingRow } from '../../support/app/tracking-row';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/**
 * The app on a database with 2025-07-09 (success) and 2025-07-10 (failed) tracked; its latest
 * complete date is `db.latest` when read.
 */
function renderApp(db = { latest: '2025-07-11' }): FakeTransport {
  const transport = new FakeTransport({
    getDatabaseInfo: () => ({ path: '/data/demo.sqlite', name: 'demo.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: db.latest, gate: null, maintenance: null, lock: null }),
    recentEvents: () => ({ events: [], runStart: null }),
    getTracking: () => ({ dates: [trackingRow('2025-07-09', { status: 'success' }), trackingRow('2025-07-10', { status: 'failed' })], truncated: false, untrackedTradingDays: [], latestSettledDate: '2025-07-11', tradingDaysAfterLast: [] }),
    listRuns: () => ({ runs: [] }),
    listPortfolios: () => ({ portfolios: [] }),
    getOtherProcessRun: () => ({ run: null }),
    reconcile: () => ({ threshold: 1, flagged: 0, total: 0, results: [] }),
  });
  const client = new EngineClient(transport);
  const live = new LiveStore(client);
  render(
    <ServicesProvider value={{ client, live }}>
      <App />
    </ServicesProvider>,
  );
  return transport;
}

/** Opens the History screen and picks the day `date`. */
async function pickOnHistory(date: string): Promise<void> {
  fireEvent.click(screen.getByTestId('nav-history'));
  fireEvent.click(await screen.findByTestId(`day-${date}`));
}

/** Goes to another screen, then back to `screen` by the navigation. */
function awayAndBack(to: string): void {
  fireEvent.click(screen.getByTestId('nav-analytics'));
  fireEvent.click(screen.getByTestId(`nav-${to}`));
}

describe('a date picked on the History screen', () => {
  it('stays on the Reconciliation screen after another screen was shown', async () => {
    const transport = renderApp();
    await pickOnHistory('2025-07-09');
    await waitFor(() => expect((screen.getByTestId('recon-date') as HTMLInputElement).value).toBe('2025-07-09'));
    awayAndBack('reconciliation');
    await screen.findByTestId('screen-reconciliation');
    expect((screen.getByTestId('recon-date') as HTMLInputElement).value).toBe('2025-07-09');
    await waitFor(() => expect(transport.calls.filter((c) => c.name === 'reconcile').map((c) => (c.input as { date?: string }).date)).toEqual(['2025-07-09', '2025-07-09']));
  });

  it('stays on the Debug screen (a failed day) after another screen was shown', async () => {
    renderApp();
    await pickOnHistory('2025-07-10');
    await waitFor(() => expect((screen.getByTestId('debug-date') as HTMLInputElement).value).toBe('2025-07-10'));
    awayAndBack('debug');
    expect((screen.getByTestId('debug-date') as HTMLInputElement).value).toBe('2025-07-10');
  });

  it('a date the user did not pick is the latest complete one each time', async () => {
    const db = { latest: '2025-07-11' };
    renderApp(db);
    fireEvent.click(screen.getByTestId('nav-reconciliation'));
    await waitFor(() => expect((screen.getByTestId('recon-date') as HTMLInputElement).value).toBe('2025-07-11'));
    // A run completes another date meanwhile.
    db.latest = '2025-07-14';
    awayAndBack('reconciliation');
    await waitFor(() => expect((screen.getByTestId('recon-date') as HTMLInputElement).value).toBe('2025-07-14'));
  });
});
