// @vitest-environment happy-dom
/**
 * The Data screen's confirmations ("Back up, then purge..." and a backup's "Restore...") keep
 * the keyboard where the user is, as the other-process "Cancel that run..." does
 * (ui/use-confirmation.ts): the confirmation takes the focus when it opens, Escape and No
 * close it, and the focus goes back to the button that opened it (the Restore... of the row
 * asked about), after the action too, once its progress dialog is gone. "Back up now", disabled
 * while the backup runs, loses the focus: the backup's outcome (verified or refused) takes it.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { DONE_SHOWN_MS } from '../../../renderer/features/data/step-progress';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

type Listed = CommandOutput<'listBackups'>['backups'][number];
const backup = (stamp: string): Listed => ({
  hasManifest: true,
  file: `/data/backups/portfolios.${stamp}.manual.sqlite`,
  madeAt: '2025-07-10T23:00:00.000000Z',
  reason: 'manual',
  sha256: 'a'.repeat(64),
  bytes: 4096,
  rowCountsVerified: true,
  lastVerification: null,
  managedByRetention: true,
});
const BACKUPS = [backup('20250710T230000Z'), backup('20250711T230000Z')];

function renderData(commands: Record<string, FakeHandler> = {}): FakeTransport {
  const transport = new FakeTransport({
    getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2025-07-11', gate: null, maintenance: null, lock: null }),
    listBackups: () => ({ dir: '/data/backups', backups: BACKUPS, incomplete: [] }),
    ...commands,
  });
  renderDataScreen(transport);
  return transport;
}

/** The restore's first step as the host sends it (host/maintenance/restore.ts): the dialog then knows the plan. */
const FIRST_STEP: TelemetryEvent = {
  event: 'metric',
  schema: 1,
  run_id: null,
  seq: 1,
  ts: '2025-07-12T08:15:02.000000Z',
  source: 'app',
  level: 'info',
  payload: { name: 'restore_step', value: 1, unit: null, date: null, portfolio_id: null, tags: { step: 'verify', steps: ['Verifying the backup', 'Replacing the database with the backup'] } },
};

const escape = () => fireEvent.keyDown(document.activeElement!, { key: 'Escape' });

/** The Restore... button of the backup row `i` (0 = the first backup). */
async function restoreButton(i: number): Promise<HTMLElement> {
  const row = within(await screen.findByTestId('backups-table')).getAllByRole('row')[i + 1]!;
  return within(row).getByRole('button', { name: 'Restore...' });
}

describe('Back up, then purge...', () => {
  it('takes the focus when it opens and gives it back after No and after Escape', async () => {
    renderData();
    const start = await screen.findByTestId('purge-start');
    start.focus();
    fireEvent.click(start);
    expect(document.activeElement).toBe(screen.getByTestId('purge-confirm'));
    fireEvent.click(screen.getByRole('button', { name: 'No' }));
    expect(screen.queryByTestId('purge-confirm')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('purge-start'));

    fireEvent.click(screen.getByTestId('purge-start'));
    expect(document.activeElement).toBe(screen.getByTestId('purge-confirm'));
    escape();
    expect(screen.queryByTestId('purge-confirm')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('purge-start'));
  });

  it('gives the focus back to its button once a refused purge has said why', async () => {
    renderData({
      purgeDerived: () => {
        throw new Error('the backup failed its check');
      },
    });
    fireEvent.click(await screen.findByTestId('purge-start'));
    fireEvent.click(screen.getByTestId('purge-confirm'));
    await screen.findByRole('alert');
    expect(screen.queryByTestId('purge-progress')).toBeNull();
    // The focus moves in an effect after the commit that shows the error, on React's scheduler.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('purge-start')));
  });
});

describe("a backup's Restore...", () => {
  it('takes the focus when it opens and gives it back to the Restore... of its row after No and after Escape', async () => {
    renderData();
    fireEvent.click(await restoreButton(1));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Restore' }));
    fireEvent.click(screen.getByRole('button', { name: 'No' }));
    expect(screen.queryByRole('alertdialog', { name: 'Confirm restore' })).toBeNull();
    expect(document.activeElement).toBe(await restoreButton(1));

    fireEvent.click(await restoreButton(0));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Restore' }));
    escape();
    expect(screen.queryByRole('alertdialog', { name: 'Confirm restore' })).toBeNull();
    expect(document.activeElement).toBe(await restoreButton(0));
  });

  it('gives the focus back to the Restore... of its row after the restore, once its progress dialog is gone', async () => {
    let finish: () => void = () => undefined;
    const transport = renderData({
      restoreBackup: () =>
        new Promise((resolve) => {
          finish = () => resolve({ database: '/data/portfolios.sqlite', restoredFrom: BACKUPS[1]!.file, safetyBackup: '/data/backups/portfolios.20250712T081502Z.pre-restore.sqlite', manifestChecked: true, migrationsApplied: 0, rowCounts: {}, removedLeftovers: [] });
        }),
    });
    fireEvent.click(await restoreButton(1));
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await screen.findByTestId('restore-progress');
    act(() => transport.emit(FIRST_STEP));
    await screen.findByTestId('restore-steps');
    // Escape belongs to the progress dialog while the restore runs: the confirmation stays.
    escape();
    expect(screen.getByRole('alertdialog', { name: 'Confirm restore' })).toBeTruthy();
    act(() => finish());
    await screen.findByTestId('backup-message');
    // The page behind the modal dialog does not take the focus while the dialog is up.
    expect(document.activeElement).not.toBe(await restoreButton(1));
    await waitFor(() => expect(screen.queryByTestId('restore-progress')).toBeNull(), { timeout: DONE_SHOWN_MS + 1_000 });
    await waitFor(async () => expect(document.activeElement).toBe(await restoreButton(1)));
  });
});

describe('Back up now', () => {
  const MANUAL = '/data/backups/portfolios.20250712T081502Z.manual.sqlite';

  it('gives the focus to the verified backup once it is done', async () => {
    let finish: () => void = () => undefined;
    renderData({
      createBackup: () =>
        new Promise((resolve) => {
          finish = () => resolve({ file: MANUAL, manifestFile: `${MANUAL}.json`, sha256: 'a'.repeat(64), bytes: 4096, rowCounts: {}, rowCountsVerified: true, midRun: false, warnings: [], deleted: [], removedIncomplete: [] });
        }),
    });
    const button = await screen.findByTestId('backup-now');
    button.focus();
    fireEvent.click(button);
    await waitFor(() => expect(button.textContent).toBe('Backing up...'));
    act(() => finish());
    const message = await screen.findByTestId('backup-message');
    expect(message.textContent).toMatch(/^Backup .* verified\./);
    await waitFor(() => expect(document.activeElement).toBe(message));
  });

  it('gives the focus to a refused backup\'s reason', async () => {
    renderData({
      createBackup: () => {
        throw new Error('the backup folder is not writable');
      },
    });
    const button = await screen.findByTestId('backup-now');
    button.focus();
    fireEvent.click(button);
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(document.activeElement).toBe(alert));
  });
});
