// @vitest-environment happy-dom
/**
 * "Back up, then purge" shows what it is doing while it runs, as a restore does (the same
 * dialog, step-progress.tsx): the host's `purge_step` events (host/maintenance/purge.ts) become
 * the list of steps, each done, running or still to come, with the time since the click; the
 * dialog blocks the app until the purge ends; a purge that succeeds shows every step done for a
 * moment (also the last steps, whose events the answer may overtake), then the dialog goes, and
 * the outcome (the counts, or why it failed) is shown.
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { DONE_SHOWN_MS } from '../../../renderer/features/data/step-progress';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

/**
 * The steps and their words as host/maintenance/purge.ts plans them (PURGE_STEPS;
 * test/host/handlers/purge-steps.test.ts checks the host's side of the events).
 */
const PURGE_STEPS = {
  backup: 'Making a verified backup of the database: copy, integrity check, row counts',
  count: 'Counting the rows of every table',
  purge: 'Deleting the derived rows in one transaction',
  record: 'Counting the rows left and recording the purge',
} as const;
type PurgeStep = keyof typeof PURGE_STEPS;
const PLAN: readonly PurgeStep[] = ['backup', 'count', 'purge', 'record'];
const WORDS = PLAN.map((s) => PURGE_STEPS[s]);

let seq = 0;
/** A purge_step event as the host's purge sends it. */
const stepEvent = (step: PurgeStep): TelemetryEvent => ({
  event: 'metric',
  schema: 1,
  run_id: null,
  seq: ++seq,
  ts: '2026-11-10T08:05:00.000000Z',
  source: 'app',
  level: 'info',
  payload: { name: 'purge_step', value: PLAN.indexOf(step) + 1, unit: null, date: null, portfolio_id: null, tags: { step, steps: WORDS } },
});

const purged: CommandOutput<'purgeDerived'> = {
  dryRun: false,
  range: { start: null, end: null },
  portfolioIds: [],
  backupFile: '/data/backups/portfolios.20261110T080500Z.pre-purge.sqlite',
  countsBefore: { portfolio_snapshots: 120 },
  countsAfter: { portfolio_snapshots: 0 },
  deleted: { portfolio_snapshots: 120 },
  positionsReset: 12,
  portfoliosReset: 3,
  trackingDeleted: 24,
  trackingMarkedStale: 0,
  maintenanceId: 4,
  rebuild: null,
  warnings: [],
  gateClosedWaysOut: null,
};

/** The Data screen whose purge answers when the test says so. */
function renderWithPendingPurge() {
  let finish: (ok: boolean) => void = () => undefined;
  const transport = new FakeTransport({
    getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: { portfolio_snapshots: 120 }, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
    listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
    purgeDerived: () => new Promise((resolve, reject) => (finish = (ok) => (ok ? resolve(purged) : reject(new Error('backup failed, nothing purged'))))),
  });
  renderDataScreen(transport);
  return { transport, finish: (ok: boolean) => act(() => finish(ok)) };
}

async function clickPurge() {
  fireEvent.click(await screen.findByTestId('purge-start'));
  fireEvent.click(screen.getByTestId('purge-confirm'));
}

const stepStates = () => [...screen.getByTestId('purge-steps').querySelectorAll('li')].map((li) => [li.querySelector('.step-label')!.textContent, li.getAttribute('data-state')]);

describe('purge progress on the Data screen', () => {
  it('opens a blocking dialog at the click, lists the steps as they happen, shows them all done, and closes with the counts', async () => {
    const { transport, finish } = renderWithPendingPurge();
    await clickPurge();
    const dialog = (await screen.findByTestId('purge-progress')) as HTMLDialogElement;
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog.open).toBe(true);
    expect(screen.getByRole('heading', { name: 'Backing up, then purging' })).toBeTruthy();
    expect(dialog.textContent).toContain('The derived rows of every date are deleted after a verified backup.');
    expect(screen.getByText('Starting the purge...')).toBeTruthy();
    expect(screen.getByTestId('purge-elapsed').textContent).toBe('Elapsed: 0 s');

    act(() => transport.emit(stepEvent('backup')));
    await waitFor(() => expect(stepStates()).toEqual([[WORDS[0], 'running'], [WORDS[1], 'pending'], [WORDS[2], 'pending'], [WORDS[3], 'pending']]));
    expect(screen.getByTestId('purge-steps').textContent).toContain(`${WORDS[0]} (in progress, step 1 of 4)`);
    // The purge events arrive together (a bridge batches them): the steps before the latest are done.
    act(() => transport.emit({ events: [stepEvent('count'), stepEvent('purge')], counts: {}, coalesced: 0 }));
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'done', 'running', 'pending']));
    await waitFor(() => expect(screen.getByTestId('purge-elapsed').textContent).toBe('Elapsed: 1 s'), { timeout: 3_000 });

    // The purge answers before the last step's event arrives: every step shows done, the last one too.
    finish(true);
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'done', 'done', 'done']));
    expect(screen.getByTestId('purge-result').textContent).toContain('Purged every date: 120 rows deleted');
    await waitFor(() => expect(screen.queryByTestId('purge-progress')).toBeNull(), { timeout: DONE_SHOWN_MS + 1_000 });
  });

  it('a failed purge closes the dialog and says why', async () => {
    const { transport, finish } = renderWithPendingPurge();
    await clickPurge();
    await screen.findByTestId('purge-progress');
    act(() => transport.emit(stepEvent('backup')));
    finish(false);
    await waitFor(() => expect(screen.queryByTestId('purge-progress')).toBeNull());
    expect(screen.getByRole('alert').textContent).toContain('Backup failed, nothing purged');
    expect(screen.queryByTestId('purge-result')).toBeNull();
  });

  it('Escape does not close the dialog while the purge runs', async () => {
    const { finish } = renderWithPendingPurge();
    await clickPurge();
    const dialog = (await screen.findByTestId('purge-progress')) as HTMLDialogElement;
    const cancel = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(dialog.open).toBe(true);
    finish(true);
    await waitFor(() => expect(screen.queryByTestId('purge-progress')).toBeNull(), { timeout: DONE_SHOWN_MS + 1_000 });
  });
});
