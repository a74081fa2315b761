// @vitest-environment happy-dom
/**
 * Browser mode's token (renderer/browser-session.tsx): a new `serve` on the same port prints a
 * new URL; pasted into the tab that showed the old one, only the fragment changes, so the page
 * does not reload. The fragment's token then wins over the one the tab kept: the app talks to
 * the new server with it, keeps it, and shows the new database afresh, as a reload would (the
 * old event stream closed, the old run gone); a refused one is said on the page.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runBrowserMode } from '../../renderer/browser-session';
import type { Transport } from '../../renderer/engine-client/transport';
import { FakeTransport } from '../support/app/fake-transport';

vi.mock('../../renderer/ui/chart', () => ({ Chart: () => null }));

const idle = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

/** A `serve` of the database `dbName`, whose last run (the history's) is `lastRun`, answering only to `token`. */
class ServeTransport extends FakeTransport {
  constructor(
    readonly token: string,
    private readonly server: { token: string },
    dbName: string,
    lastRun: string | null,
  ) {
    super({
      getDatabaseInfo: () => ({ path: `/data/${dbName}`, name: dbName, sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-04-15', gate: null, maintenance: null, lock: null }),
      recentEvents: () => ({ events: [], runStart: null }),
      getTracking: () => ({ dates: [], truncated: false, untrackedTradingDays: [], latestSettledDate: '2026-04-15', tradingDaysAfterLast: [] }),
      listRuns: () => ({ runs: lastRun ? [{ id: lastRun, batchRunId: `batch_${lastRun}`, status: 'completed', mode: 'normal', triggeredBy: 'cli', startedAt: '2026-04-16T08:00:00Z', completedAt: '2026-04-16T08:01:00Z', totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 60, options: {} }] : [] }),
      listPortfolios: () => ({ portfolios: [] }),
      getOtherProcessRun: () => ({ run: null }),
      getRunStatus: () => idle,
      getGate: () => ({ gate: null }),
    });
  }

  override async invoke(name: string, input: unknown): Promise<unknown> {
    if (this.token !== this.server.token) return { ok: false, error: { code: 'unauthorized', message: 'The access token is wrong (unauthorized)' } };
    return super.invoke(name, input);
  }
}

let root: Root;
let stop: () => void;
const made: ServeTransport[] = [];
/** The server listening on the port: its token changes when `serve` starts again (on another --db). */
const server = { token: 'tokenOld', db: 'old.db' };

function boot(hash: string): void {
  window.history.replaceState(null, '', hash);
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  stop = runBrowserMode(root, (token): Transport => {
    const t = new ServeTransport(token, server, server.db, server.db === 'old.db' ? 'batch-old' : null);
    made.push(t);
    return t;
  });
}

/** `serve` stopped and started again on the same port with another database: a new token. */
function restartServe(): void {
  server.token = 'tokenNew';
  server.db = 'new.db';
}

const dbShown = () => document.querySelector('.app-header .db')?.textContent;

beforeEach(() => {
  window.sessionStorage.clear();
  server.token = 'tokenOld';
  server.db = 'old.db';
  made.length = 0;
});
afterEach(() => {
  stop();
  act(() => root.unmount());
  document.body.innerHTML = '';
});

describe('a new token pasted into the same tab', () => {
  it('replaces the kept one, and the app shows the new database afresh', async () => {
    boot('#token=tokenOld&screen=history');
    await waitFor(() => expect(dbShown()).toBe('old.db'));
    expect(window.sessionStorage.getItem('batchdesk.token')).toBe('tokenOld');
    await waitFor(() => expect(screen.getByTestId('header-run').textContent).toBe('CLI run completed'));
    const oldTransport = made[0]!;
    expect(oldTransport.subscribed).toBe(true);

    restartServe();
    act(() => {
      window.location.hash = '#token=tokenNew&screen=history';
    });

    await waitFor(() => expect(dbShown()).toBe('new.db'));
    expect(window.sessionStorage.getItem('batchdesk.token')).toBe('tokenNew');
    // Nothing of the old database stays: its run is gone from the header, its event stream closed.
    await waitFor(() => expect(screen.getByTestId('header-run').hidden).toBe(true));
    expect(oldTransport.subscribed).toBe(false);
    const newTransport = made.at(-1)!;
    expect(newTransport.token).toBe('tokenNew');
    expect(newTransport.subscribed).toBe(true);
    // Every command now goes to the new server with the new token, and none is refused.
    expect(screen.queryByText(/unauthorized/)).toBeNull();
    expect(new URL(window.location.href).hash).toBe('#token=tokenNew&screen=history');
  });

  it('wins over the kept token on load too', async () => {
    window.sessionStorage.setItem('batchdesk.token', 'tokenOld');
    restartServe();
    boot('#token=tokenNew&screen=run');
    await waitFor(() => expect(dbShown()).toBe('new.db'));
    expect(window.sessionStorage.getItem('batchdesk.token')).toBe('tokenNew');
  });

  it('a refused one is said on the page, and the fragment edited to the right one opens the app', async () => {
    restartServe();
    boot('#token=tokenOld&screen=run');
    expect((await screen.findByTestId('token-problem')).textContent).toMatch(/^The access token in this URL is not the one this server expects\. Open the full URL that batchdesk serve printed/);
    act(() => {
      window.location.hash = '#token=tokenNew&screen=run';
    });
    await waitFor(() => expect(dbShown()).toBe('new.db'));
    expect(screen.queryByTestId('token-problem')).toBeNull();
    expect(window.sessionStorage.getItem('batchdesk.token')).toBe('tokenNew');
  });

  it('a fragment edited without the token keeps the app as it is', async () => {
    boot('#token=tokenOld&screen=history');
    await waitFor(() => expect(dbShown()).toBe('old.db'));
    const transports = made.length;
    act(() => {
      window.location.hash = '#screen=data';
    });
    await waitFor(() => expect(window.location.hash).toBe('#token=tokenOld&screen=data'));
    expect(made.length).toBe(transports);
    expect(made[0]!.subscribed).toBe(true);
  });
});
