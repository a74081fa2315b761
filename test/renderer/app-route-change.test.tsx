// @vitest-environment happy-dom
/**
 * The screen in the URL fragment, as the app follows it (renderer/app.tsx, navigation.tsx):
 *   - a fragment edited to other parameters of the screen shown (another date, portfolio or
 *     range) opens that screen afresh on them: Debug, Missing prices, Reconciliation, Analytics
 *     and Run read their parameters when opened;
 *   - the Run screen opened from a link's range (Missing prices' retry, History's gaps) applies
 *     it once: the entry becomes the plain Run screen, so Back to it shows the form as the user
 *     left it, not the link's range again;
 *   - Debug and Reconciliation opened from a link's date (History's days, Live's cells) apply it
 *     once too: Back to the entry shows the date the user chose there, and a reload of the entry
 *     (nothing kept) opens on the link's date again;
 *   - browser mode's access token, kept for the tab, comes back into a fragment edited without it;
 *   - Back, Forward and an edited fragment move the focus to the shown screen's heading, as a
 *     click in the navigation does.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app';
import { ServicesProvider } from '../../renderer/app-context';
import { EngineClient } from '../../renderer/engine-client/engine-client';
import { LiveStore } from '../../renderer/state/live-store';
import { FakeTransport } from '../support/app/fake-transport';

// The charts draw on a canvas, which happy-dom has not.
vi.mock('../../renderer/ui/chart', () => ({ Chart: () => null }));

const portfolio = (id: string, name: string) => ({ id, name, accountName: 'Demo', isActive: true, deleted: false, equityBalance: null, initialEquity: null, positions: 3, firstEntryDate: null, latestSnapshotDate: null });

beforeEach(() => window.history.replaceState(null, '', '#'));
afterEach(cleanup);

/** The app at the URL fragment `hash`. */
function renderApp(hash: string): void {
  window.history.replaceState(null, '', hash);
  const transport = new FakeTransport({
    getDatabaseInfo: () => ({ path: '/data/demo.sqlite', name: 'demo.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-10-20', gate: null, maintenance: null, lock: null }),
    recentEvents: () => ({ events: [], runStart: null }),
    getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [], latestSettledDate: '2026-10-20', tradingDaysAfterLast: [] }),
    listRuns: () => ({ runs: [] }),
    listPortfolios: () => ({ portfolios: [portfolio('p1', 'Growth'), portfolio('p2', 'Income')] }),
    getOtherProcessRun: () => ({ run: null }),
    getRunStatus: () => ({ state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null }),
    getSettings: () => ({ settings: [], extra: {} }),
    getGate: () => ({ gate: null }),
    reconcile: () => ({ threshold: 1, flagged: 0, total: 0, results: [] }),
    getMissingPrices: () => ({ rows: [], total: 0, truncated: false }),
    getSuspectPrices: () => ({ rows: [], total: 0, truncated: false }),
    getSnapshots: (input) => ({ portfolioId: (input as { portfolioId: string }).portfolioId, rows: [] }),
    getAnalytics: () => null,
  });
  const client = new EngineClient(transport);
  const live = new LiveStore(client);
  render(
    <ServicesProvider value={{ client, live }}>
      <App />
    </ServicesProvider>,
  );
}

/** The value of the form field `testId`, once it shows. */
const valueOf = async (testId: string): Promise<string> => ((await screen.findByTestId(testId)) as HTMLInputElement).value;

/** Edits the fragment by hand, as in the address bar. */
const editFragment = (hash: string) => (window.location.hash = hash);

/** The heading of the screen shown has the focus. */
const headingFocused = (name: string) => waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name })));

describe('a fragment edited to other parameters of the screen shown', () => {
  const cases = [
    { screen: 'debug', param: 'date', before: '2026-10-15', after: '2026-10-20', field: 'debug-date' },
    { screen: 'missing', param: 'date', before: '2026-10-15', after: '2026-10-20', field: 'missing-from' },
    { screen: 'reconciliation', param: 'date', before: '2026-10-15', after: '2026-10-20', field: 'recon-date' },
    { screen: 'analytics', param: 'portfolio', before: 'p1', after: 'p2', field: 'analytics-portfolio' },
    { screen: 'run', param: 'startDate', before: '2026-10-01', after: '2026-10-05', field: 'run-start-date' },
  ];
  for (const c of cases) {
    it(`opens ${c.screen} afresh on them`, async () => {
      renderApp(`#screen=${c.screen}&${c.param}=${c.before}`);
      await waitFor(async () => expect(await valueOf(c.field)).toBe(c.before));
      editFragment(`#screen=${c.screen}&${c.param}=${c.after}`);
      await waitFor(async () => expect(await valueOf(c.field)).toBe(c.after));
    });
  }
});

describe('the Run screen opened from a link', () => {
  it("applies the link's range once: Back to it shows the form as the user left it; a reload opens on the range again", async () => {
    renderApp('#screen=missing');
    await screen.findByTestId('screen-missing');
    // Missing prices' "Retry these dates...", as its link names the Run screen.
    editFragment('#screen=run&startDate=2026-10-15&endDate=2026-10-20&retry=1');
    await waitFor(async () => expect(await valueOf('run-end-date')).toBe('2026-10-20'));
    expect(screen.getByLabelText(/retry failed phases only/).closest('label')!.querySelector('input')!.checked).toBe(true);
    fireEvent.change(screen.getByTestId('run-end-date'), { target: { value: '2026-10-16' } });
    fireEvent.change(screen.getByLabelText(/Chunk size/), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('nav-data'));
    await screen.findByTestId('screen-data');
    window.history.back();
    await screen.findByTestId('screen-run');
    expect(window.location.hash).toBe('#screen=run&startDate=2026-10-15&endDate=2026-10-20&retry=1');
    expect(await valueOf('run-start-date')).toBe('2026-10-15');
    expect(await valueOf('run-end-date')).toBe('2026-10-16');
    expect((screen.getByLabelText(/Chunk size/) as HTMLInputElement).value).toBe('5');
    expect(screen.getByLabelText(/retry failed phases only/).closest('label')!.querySelector('input')!.checked).toBe(true);
    // A reload: the app starts afresh on this entry, with nothing kept.
    cleanup();
    renderApp(window.location.hash);
    await waitFor(async () => expect(await valueOf('run-end-date')).toBe('2026-10-20'));
    expect((screen.getByLabelText(/Chunk size/) as HTMLInputElement).value).not.toBe('5');
  });
});

describe('Debug and Reconciliation opened from a link', () => {
  for (const c of [
    { screen: 'debug', field: 'debug-date', title: 'Debug a date' },
    { screen: 'reconciliation', field: 'recon-date', title: 'Reconciliation' },
  ]) {
    it(`${c.screen}: applies the link's date once, so Back shows the date chosen there; a reload opens on the link's date`, async () => {
      renderApp('#screen=history');
      await screen.findByTestId('screen-history');
      // A link to the screen on 2026-10-15 (a day of History), then another date chosen there.
      editFragment(`#screen=${c.screen}&date=2026-10-15`);
      await waitFor(async () => expect(await valueOf(c.field)).toBe('2026-10-15'));
      fireEvent.change(screen.getByTestId(c.field), { target: { value: '2026-10-20' } });
      fireEvent.click(screen.getByTestId('nav-data'));
      await screen.findByTestId('screen-data');
      window.history.back();
      await headingFocused(c.title);
      expect(window.location.hash).toBe(`#screen=${c.screen}&date=2026-10-15`);
      expect(await valueOf(c.field)).toBe('2026-10-20');
      // A reload: the app starts afresh on this entry, with nothing kept.
      cleanup();
      renderApp(window.location.hash);
      await waitFor(async () => expect(await valueOf(c.field)).toBe('2026-10-15'));
    });
  }
});

describe('the access token the tab kept', () => {
  it('comes back first into a fragment edited without it', async () => {
    window.sessionStorage.setItem('batchdesk.token', 'kept_TOKEN-1');
    try {
      renderApp('#token=kept_TOKEN-1&screen=history');
      await screen.findByTestId('screen-history');
      editFragment('#screen=data');
      await screen.findByTestId('screen-data');
      await waitFor(() => expect(window.location.hash).toBe('#token=kept_TOKEN-1&screen=data'));
      fireEvent.click(screen.getByTestId('nav-history'));
      expect(window.location.hash).toBe('#token=kept_TOKEN-1&screen=history');
    } finally {
      window.sessionStorage.clear();
    }
  });
});

describe('the focus', () => {
  it("goes to the shown screen's heading after Back, Forward and an edited fragment, as after a click in the navigation", async () => {
    renderApp('#screen=history');
    await screen.findByTestId('screen-history');
    fireEvent.click(screen.getByTestId('nav-data'));
    await headingFocused('Data');
    fireEvent.click(screen.getByTestId('nav-reconciliation'));
    await headingFocused('Reconciliation');
    // Something else takes the focus meanwhile (a field of the screen): Back moves it to the heading shown.
    screen.getByTestId('recon-date').focus();
    window.history.back();
    await headingFocused('Data');
    window.history.back();
    await headingFocused('History');
    window.history.forward();
    await headingFocused('Data');
    editFragment('#screen=debug&date=2026-10-15');
    await headingFocused('Debug a date');
  });
});
