// @vitest-environment happy-dom
/**
 * The Data screen's "back up, then purge": the result names the purged range in words (every
 * date, or the dates as the fields show them), a reversed range is refused under the fields
 * before anything is asked, the confirmation says what will be purged and that a backup comes
 * first, the counts list the tables the row-count header counts, only tables that lost rows
 * are highlighted, and a new action's outcome replaces an older one's message.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

const COUNTS = { maintenance_log: 3, portfolio_snapshots: 120, position_marks: 880_000 };
const MANUAL = '/data/backups/portfolios.20261110T080000Z.manual.sqlite';
const PRE_PURGE = '/data/backups/portfolios.20261110T080500Z.pre-purge.sqlite';

function purged(input: { from?: string; to?: string }): CommandOutput<'purgeDerived'> {
  return {
    dryRun: false,
    range: { start: input.from ?? null, end: input.to ?? null },
    portfolioIds: [],
    backupFile: PRE_PURGE,
    // The purge's counts include the migration journal, which getDatabaseInfo leaves out.
    countsBefore: { __drizzle_migrations: 9, ...COUNTS },
    countsAfter: { __drizzle_migrations: 9, maintenance_log: 4, portfolio_snapshots: 0, position_marks: 0 },
    deleted: { portfolio_snapshots: 120, position_marks: 880_000, batch_run_tracking: 96 },
    positionsReset: 12,
    portfoliosReset: 3,
    trackingDeleted: 96,
    trackingMarkedStale: 0,
    maintenanceId: 4,
    rebuild: { startDate: '2026-11-02', automatic: true },
    warnings: [],
    gateClosedWaysOut: null,
  };
}

function renderData(commands: Record<string, FakeHandler> = {}): FakeTransport {
  const transport = new FakeTransport({
    getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: COUNTS, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
    listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
    purgeDerived: (input) => purged(input as { from?: string; to?: string }),
    createBackup: () => ({ file: MANUAL, manifestFile: `${MANUAL}.json`, sha256: 'a'.repeat(64), bytes: 4096, rowCounts: COUNTS, rowCountsVerified: true, midRun: false, warnings: [], deleted: [], removedIncomplete: [] }),
    ...commands,
  });
  renderDataScreen(transport);
  return transport;
}

async function purge(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId('purge-start'));
  fireEvent.click(screen.getByTestId('purge-confirm'));
  return screen.findByTestId('purge-result');
}

describe('Back up now', () => {
  it('says what retention deleted, the leftovers it removed and its warnings', async () => {
    const OLD = '/data/backups/portfolios.20261001T080000Z.manual.sqlite';
    const PARTIAL = '/data/backups/portfolios.20261109T080000Z.manual.sqlite.partial';
    renderData({
      createBackup: () => ({ file: MANUAL, manifestFile: `${MANUAL}.json`, sha256: 'a'.repeat(64), bytes: 4096, rowCounts: COUNTS, rowCountsVerified: true, midRun: false, warnings: ['retention left 1 backup file without a manifest'], deleted: [OLD], removedIncomplete: [PARTIAL] }),
    });
    fireEvent.click(await screen.findByTestId('backup-now'));
    await waitFor(() =>
      expect(screen.getByTestId('backup-message').textContent).toBe(
        `Backup ${MANUAL} (4.0 KiB) verified. Retention deleted 1 older backup: ${OLD}. Removed 1 incomplete backup that stopped backups had left: ${PARTIAL}. Warning: retention left 1 backup file without a manifest.`,
      ),
    );
  });
});

describe('Back up, then purge', () => {
  it('says "every date" for a purge without a range, and the dates of a range', async () => {
    renderData();
    expect((await purge()).textContent).toContain(`Backup ${PRE_PURGE}. Purged every date: 880,216 rows deleted (96 of them tracking rows)`);
    expect(screen.getByTestId('purge-result').textContent).not.toContain('start .. end');
    fireEvent.change(screen.getByTestId('purge-from'), { target: { value: '2026-11-02' } });
    fireEvent.change(screen.getByTestId('purge-to'), { target: { value: '2026-11-06' } });
    fireEvent.click(screen.getByTestId('purge-start'));
    fireEvent.click(screen.getByTestId('purge-confirm'));
    await waitFor(() => expect(screen.getByTestId('purge-result').textContent).toContain('Purged 2026-11-02 to 2026-11-06: 880,216 rows deleted'));
  });

  it('refuses a reversed range under the fields, without asking or purging, and the confirmation restates what is purged', async () => {
    const transport = renderData();
    const start = (await screen.findByTestId('purge-start')) as HTMLButtonElement;
    fireEvent.click(start);
    expect(screen.getByTestId('purge-confirm-text').textContent).toBe('This deletes the derived rows of every date. A backup is made first, and the purge only runs if it is verified. Continue?');
    fireEvent.click(screen.getByText('No'));

    fireEvent.change(screen.getByTestId('purge-from'), { target: { value: '2026-11-20' } });
    fireEvent.change(screen.getByTestId('purge-to'), { target: { value: '2026-11-10' } });
    expect(screen.getByTestId('purge-problem').textContent).toBe('The To date 2026-11-10 is before the From date 2026-11-20.');
    expect(screen.getByTestId('purge-to').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('purge-start') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('purge-start'));
    expect(screen.queryByTestId('purge-confirm')).toBeNull();
    expect(transport.calls.some((c) => c.name === 'purgeDerived')).toBe(false);

    fireEvent.change(screen.getByTestId('purge-to'), { target: { value: '2026-11-27' } });
    expect(screen.queryByTestId('purge-problem')).toBeNull();
    fireEvent.click(screen.getByTestId('purge-start'));
    expect(screen.getByTestId('purge-confirm-text').textContent).toBe('This deletes the derived rows of 2026-11-20 to 2026-11-27. A backup is made first, and the purge only runs if it is verified. Continue?');
  });

  it('lists the tables the row-count header counts, before and after the purge', async () => {
    renderData();
    const summary = await screen.findByText(/^Row counts \(/);
    expect(summary.textContent).toBe('Row counts (3 tables)');
    expect(within(screen.getByTestId('row-counts')).getAllByRole('row')).toHaveLength(3);
    const table = within(await purge()).getByTestId('purge-counts');
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-testid'))).toEqual(['purge-row-maintenance_log', 'purge-row-portfolio_snapshots', 'purge-row-position_marks']);
  });

  it('highlights only the tables that lost rows, not maintenance_log, which grew', async () => {
    renderData();
    await purge();
    // maintenance_log grew by the purge's own record: nothing was deleted from it.
    expect(within(screen.getByTestId('purge-row-maintenance_log')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['maintenance_log', '3', '4', '0']);
    expect(screen.getByTestId('purge-row-maintenance_log').className).toBe('');
    expect(screen.getByTestId('purge-row-position_marks').className).toBe('changed');
    expect(screen.getByTestId('purge-row-portfolio_snapshots').className).toBe('changed');
  });

  it("replaces an earlier backup's message with the purge's result, and the other way round", async () => {
    renderData();
    fireEvent.click(await screen.findByTestId('backup-now'));
    await waitFor(() => expect(screen.getByTestId('backup-message').textContent).toBe(`Backup ${MANUAL} (4.0 KiB) verified.`));
    await purge();
    expect(screen.queryByTestId('backup-message')).toBeNull();
    fireEvent.click(screen.getByTestId('backup-now'));
    await waitFor(() => expect(screen.getByTestId('backup-message').textContent).toBe(`Backup ${MANUAL} (4.0 KiB) verified.`));
    expect(screen.queryByTestId('purge-result')).toBeNull();
  });
});
