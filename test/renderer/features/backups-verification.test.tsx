// @vitest-environment happy-dom
/**
 * The Backups table shows each backup's latest verification: a backup that failed the check
 * at restore reads "failed at restore on <time>: <reason>" (not its manifest's "yes"), and a
 * failed restore re-reads the list so the verdict appears at once. The refusal is an error
 * alert with the engine's message only, and a backup that failed its check cannot be
 * restored again from the list. A backup file whose manifest was deleted is listed with its
 * time in its name and size, marked as such, and restored from the list with the same confirmation.
 * The times read consistently: a name holds the time the backup started, the table the time its
 * manifest says it finished, and the screen says which is which.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import { backupCheckText } from '../../../core/api/backup-check-text';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';
import { RefusingTransport } from '../refusing-transport';

afterEach(cleanup);

type Listed = CommandOutput<'listBackups'>['backups'][number];
const FILE = '/data/backups/portfolios.20250710T230000Z.manual.sqlite';
const REASON = `backup ${FILE} is corrupt: its SHA-256 0e1d1aeff6b0... differs from the manifest's eef7ad3f84af...`;
const backup = (lastVerification: Listed['lastVerification']): Listed => ({ hasManifest: true, file: FILE, madeAt: '2025-07-10T23:00:00.000000Z', reason: 'manual', sha256: 'a'.repeat(64), bytes: 4096, rowCountsVerified: true, lastVerification, managedByRetention: true });

describe('Backups table', () => {
  it('a failed restore check replaces the manifest verdict with the failure and its reason', async () => {
    let checked: Listed['lastVerification'] = null;
    const transport = new FakeTransport({
      listBackups: () => ({ dir: '/data/backups', backups: [backup(checked)], incomplete: [] }),
      restoreBackup: () => {
        checked = { checkedAt: '2025-07-11T08:15:02.000000Z', stage: 'restore', ok: false, problem: REASON };
        throw new Error(REASON);
      },
    });
    renderDataScreen(transport);
    const table = await screen.findByTestId('backups-table');
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell')[4]!.textContent).toBe('yes');
    fireEvent.click(within(row).getByText('Restore...'));
    fireEvent.click(within(row).getByText('Restore'));
    await waitFor(() => expect(within(screen.getByTestId('backups-table')).getAllByRole('row')[1]!.textContent).toContain('failed at restore on 2025-07-11 08:15:02: '));
    expect(within(screen.getByTestId('backups-table')).getAllByRole('cell')[4]!.textContent).toBe(`failed at restore on 2025-07-11 08:15:02: ${REASON}`);
  });

  it('a refused restore is an error alert with the message only, and the failed backup can no longer be chosen', async () => {
    let checked: Listed['lastVerification'] = null;
    const transport = new RefusingTransport(
      { listBackups: () => ({ dir: '/data/backups', backups: [backup(checked)], incomplete: [] }) },
      {
        restoreBackup: () => {
          checked = { checkedAt: '2025-07-11T08:15:02.000000Z', stage: 'restore', ok: false, problem: REASON };
          return { code: 'data', message: REASON };
        },
      },
    );
    renderDataScreen(transport);
    const table = await screen.findByTestId('backups-table');
    const restore = within(table).getByText('Restore...');
    expect((restore as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(restore);
    fireEvent.click(within(table).getByText('Restore'));
    const message = await screen.findByTestId('backup-message');
    expect(message.getAttribute('role')).toBe('alert');
    expect(message.className).toContain('bad');
    expect(message.textContent).toBe(`B${REASON.slice(1)}`);
    await waitFor(() => expect((within(screen.getByTestId('backups-table')).getByText('Restore...') as HTMLButtonElement).disabled).toBe(true));
    expect(within(screen.getByTestId('backups-table')).getByText('Restore...').getAttribute('title')).toContain('failed its latest check');
  });

  it('says a check that passed, and falls back to the manifest without one', () => {
    const time = (ts: string) => `<${ts}>`;
    expect(backupCheckText(backup({ checkedAt: '2025-07-11T08:15:02.000000Z', stage: 'restore', ok: true, problem: null }), time)).toBe('yes; checked again at restore on <2025-07-11T08:15:02.000000Z>');
    // A mid-run image passed every check but the row counts (j.1): it is not "no".
    expect(backupCheckText({ ...backup(null), rowCountsVerified: false } as Listed, time)).toBe('yes, a mid-run image (row counts not compared)');
    const bare: Listed = { hasManifest: false, file: FILE, madeAt: '2025-07-10T23:00:04.000000Z', reason: 'manual', bytes: 4096, lastVerification: null, managedByRetention: false };
    expect(backupCheckText(bare, time)).toBe('no manifest: restore checks integrity first');
    expect(backupCheckText({ ...bare, lastVerification: { checkedAt: '2025-07-11T08:15:02.000000Z', stage: 'restore', ok: true, problem: null } }, time)).toBe('no manifest: restore checks integrity first; passed at restore on <2025-07-11T08:15:02.000000Z>');
    expect(backupCheckText({ ...bare, lastVerification: { checkedAt: '2025-07-11T08:15:02.000000Z', stage: 'restore', ok: false, problem: 'not a database' } }, time)).toBe('failed at restore on <2025-07-11T08:15:02.000000Z>: not a database');
  });

  it('lists a backup whose manifest was deleted, marked, with the time in its name and its size, and restores it after the same confirmation', async () => {
    const bare = '/data/backups/portfolios.20250709T230000Z.pre-purge.sqlite';
    const restored: unknown[] = [];
    const transport = new FakeTransport({
      listBackups: () => ({
        dir: '/data/backups',
        backups: [backup(null), { hasManifest: false, file: bare, madeAt: '2025-07-09T23:00:00.000000Z', reason: 'pre-purge', bytes: 3 * 1024 * 1024, lastVerification: null, managedByRetention: false }],
        incomplete: [],
      }),
      restoreBackup: (input) => {
        restored.push(input);
        return { database: '/data/portfolios.sqlite', restoredFrom: bare, safetyBackup: '/data/backups/portfolios.20250711T081502Z.pre-restore.sqlite', manifestChecked: false, migrationsApplied: 0, rowCounts: {}, removedLeftovers: [] };
      },
    });
    renderDataScreen(transport);
    const table = await screen.findByTestId('backups-table');
    const row = within(table).getAllByRole('row')[2]!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'portfolios.20250709T230000Z.pre-purge.sqlite',
      'started 2025-07-09 23:00:00',
      'pre-purge',
      '3.0 MiB',
      'no manifest: restore checks integrity first',
      'Restore...',
    ]);
    const choose = within(row).getByText('Restore...') as HTMLButtonElement;
    expect(choose.disabled).toBe(false);
    fireEvent.click(choose);
    const confirm = within(row).getByRole('alertdialog', { name: 'Confirm restore' });
    expect(confirm.textContent).toContain('Replace the database with this backup (a safety backup is made first)?');
    expect(restored).toEqual([]);
    fireEvent.click(within(confirm).getByText('Restore'));
    const message = await screen.findByTestId('backup-message');
    expect(message.getAttribute('role')).toBe('status');
    expect(message.textContent).toBe(`Restored ${bare} in ${/ in (\d+ s);/.exec(message.textContent!)?.[1]}; the previous state is kept in /data/backups/portfolios.20250711T081502Z.pre-restore.sqlite.`);
    expect(restored).toEqual([{ file: bare, safetyBackup: true }]);
  });

  it('says the time in a name is the start and the one in the table the finish, which a manifest gives', async () => {
    // Started at 23:00:00 (its name), finished 4 s later (its manifest).
    renderDataScreen(new FakeTransport({ listBackups: () => ({ dir: '/data/backups', backups: [{ ...backup(null), madeAt: '2025-07-10T23:00:04.000000Z' }], incomplete: [] }) }));
    const table = await screen.findByTestId('backups-table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['File', 'Finished', 'Reason', 'Size', 'Verified', 'Actions']);
    expect(within(table).getAllByRole('cell').slice(0, 2).map((c) => c.textContent)).toEqual(['portfolios.20250710T230000Z.manual.sqlite', '2025-07-10 23:00:04']);
    expect(screen.getByTestId('backups-times').textContent).toBe("The time in a backup's file name is when it started; Finished is when it was verified and complete.");
  });
});
