// @vitest-environment happy-dom
/**
 * An expected refusal (another process holds the database: code `locked`) is no failure of
 * the app: its error state is titled by what happened, not "Something went wrong", and its
 * body is the engine's message without the raw code and with its timestamps as the app shows
 * times (ErrorState, used by the purge, the CSV import and the Data panels).
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../renderer/engine-client/engine-error';
import { ErrorState } from '../../../renderer/ui/states';
import { renderDataScreen } from '../../support/app/render-data-screen';
import { RefusingTransport } from '../refusing-transport';

afterEach(cleanup);

const LOCKED = 'the database is locked by another run (cli pid 15956 on vm, run batch_20261127_230241_e23b, since 2026-11-27T23:02:41.870000Z, last heartbeat 2026-11-27T23:02:41.870000Z); wait for it to finish or stop it with `batchdesk cancel --db /data/portfolios.sqlite`';

describe('an expected refusal', () => {
  it('is titled by what happened and ends with no raw code; its times read as the app shows times', () => {
    render(<ErrorState error={new EngineError({ code: 'locked', message: LOCKED })} />);
    const state = screen.getByRole('alert');
    expect(within(state).getByText('The database is busy')).toBeTruthy();
    expect(state.textContent).not.toContain('Something went wrong');
    expect(state.querySelector('.state-body')?.textContent).toBe(
      'The database is locked by another run (cli pid 15956 on vm, run batch_20261127_230241_e23b, since 2026-11-27 23:02:41, last heartbeat 2026-11-27 23:02:41); wait for it to finish or stop it with `batchdesk cancel --db /data/portfolios.sqlite`',
    );
  });

  it('an unexpected failure keeps "Something went wrong" and its code; a screen title wins', () => {
    render(<ErrorState error={new EngineError({ code: 'internal', message: 'the run stopped unexpectedly' })} />);
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong' + 'The run stopped unexpectedly (internal)');
    cleanup();
    render(<ErrorState error={new EngineError({ code: 'locked', message: LOCKED })} title="Nothing was imported" />);
    expect(screen.getByRole('alert').querySelector('.state-title')?.textContent).toBe('Nothing was imported');
  });

  it('the purge of the Data screen refused by a held lock says the database is busy', async () => {
    const transport = new RefusingTransport(
      {
        getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
        listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
      },
      { purgeDerived: { code: 'locked', message: LOCKED } },
    );
    renderDataScreen(transport);
    fireEvent.click(await screen.findByTestId('purge-start'));
    fireEvent.click(screen.getByTestId('purge-confirm'));
    const title = await screen.findByText('The database is busy');
    const state = title.closest('[role=alert]')!;
    expect(state.textContent).not.toContain('(locked)');
    expect(state.textContent).toContain('stop it with `batchdesk cancel --db /data/portfolios.sqlite`');
  });
});
