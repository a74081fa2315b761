// @vitest-environment happy-dom
/**
 * The Backups panel lists the partial copies stopped backups left (SPEC.md j.1) apart from the
 * backups: each with its name, last change, age, size and what removes it, said to be not
 * restorable and offered no Restore button. They show also when there is no backup yet.
 */
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

type Incomplete = CommandOutput<'listBackups'>['incomplete'][number];
const PARTIAL = '/data/backups/portfolios.sqlite.20250710T230000Z.pre-purge.sqlite.partial';
const REMOVAL = 'its backup (process 4242 on this machine) stopped: the next backup of this database in this folder removes it';
const incomplete: Incomplete = {
  file: PARTIAL,
  files: [PARTIAL, `${PARTIAL}-journal`, `${PARTIAL}.writer.json`],
  bytes: 300 * 1024 * 1024,
  lastWrittenAt: '2025-07-10T23:00:02.000000Z',
  ageMs: 3 * 3_600_000 + 5 * 60_000,
  writer: { host: 'desk', pid: 4242 },
  state: 'abandoned',
  removableFrom: null,
  restorable: false,
  removal: REMOVAL,
};

describe('incomplete backups in the Backups panel', () => {
  it('are listed apart, not restorable, with what removes them, also before any backup exists', async () => {
    renderDataScreen(new FakeTransport({ listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [incomplete] }) }));
    const table = await screen.findByTestId('incomplete-backups-table');
    expect(screen.getByText('No backups yet')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Incomplete backups' })).toBeTruthy();
    expect(screen.getByText(/They cannot be restored\.$/).textContent).toBe('Partial copies of backups stopped while writing them (killed, crashed, the machine went down). They cannot be restored.');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['File', 'Last written', 'Age', 'Size', 'Removal']);
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['portfolios.sqlite.20250710T230000Z.pre-purge.sqlite.partial', '2025-07-10 23:00:02', '3 h 05 min', '300.0 MiB', REMOVAL]);
    expect(within(table).queryByRole('button')).toBeNull();
  });

  it('are not shown when there are none', async () => {
    renderDataScreen(new FakeTransport({ listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }) }));
    await screen.findByText('No backups yet');
    expect(screen.queryByTestId('incomplete-backups-table')).toBeNull();
  });
});
