// @vitest-environment happy-dom
/**
 * "Add prices from CSV" on the Missing prices screen (SPEC.md e.8): the chosen file's text goes
 * to the engine's importPrices with the skip-bad-rows choice; the result says what was added and
 * warns of jumps and unneeded symbols; the dates the import made stale open the Run screen in
 * retry mode on exactly that range (its plan previewed with those options), a single date said
 * as one; a refused file says nothing was imported, with the engine's message; the outcome takes
 * the focus (the Import button, off while the import runs, has lost it), and goes when another
 * file or skip choice is made; a file over the limit is refused before it is read, naming the CLI
 * command that takes it.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_PRICES_CSV_CHARS } from '../../../core/api/commands/import-commands';
import type { CommandOutput } from '../../../core/api/contract';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { MissingPricesScreen } from '../../../renderer/features/missing-prices/missing-prices-screen';
import { RunScreen, runOpening } from '../../../renderer/features/run/run-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport, type FakeHandler } from '../../support/app/fake-transport';
import { RefusingTransport } from '../refusing-transport';

beforeEach(fakeLayout);
afterEach(cleanup);

const IMPORTED: CommandOutput<'importPrices'> = {
  file: 'fill.csv',
  rows: 3,
  symbols: 2,
  inserted: 2,
  updated: 1,
  unchanged: 0,
  keptStored: 0,
  jumps: [{ symbol: 'NVDA', date: '2025-07-10', close: 300, reference: 150, storedCloseKept: false, storedClose: null }],
  stale: { dates: 3, first: '2025-07-09', last: '2025-07-11' },
  skipped: ['fill.csv line 4, column 3 (close): expected a number, got "abc"'],
  unneededSymbols: ['ZZZZ'],
  warnings: [],
};

/** The screen whose importPrices answers with `importPrices`, or refuses with `refusal` (as the engine refuses a file: a data error). */
function renderScreen(importPrices: FakeHandler, refusal?: string) {
  const transport = new RefusingTransport(
    {
      listPortfolios: () => ({ portfolios: [] }),
      getMissingPrices: () => ({ rows: [], total: 0, truncated: false }),
      getSuspectPrices: () => ({ rows: [], total: 0, truncated: false }),
      importPrices,
    },
    refusal === undefined ? {} : { importPrices: { code: 'data', message: refusal } },
  );
  const client = new EngineClient(transport);
  client.connect();
  const navigate = vi.fn();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <NavigationContext.Provider value={{ route: { screen: 'missing', params: {} }, navigate }}>
        <MissingPricesScreen />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return { transport, navigate };
}

const choose = (file: File) => fireEvent.change(screen.getByTestId('add-prices-file'), { target: { files: [file] } });

describe('Add prices from CSV', () => {
  it('imports the file as chosen, reports it, and opens the Run screen in retry mode on the stale dates', async () => {
    const { transport, navigate } = renderScreen(() => IMPORTED);
    const importButton = screen.getByTestId<HTMLButtonElement>('add-prices-import');
    expect(importButton.disabled).toBe(true);
    const text = 'symbol,date,close\nAAPL,2025-07-09,211.5\n';
    choose(new File([text], 'fill.csv', { type: 'text/csv' }));
    fireEvent.click(screen.getByTestId('add-prices-skip'));
    fireEvent.click(importButton);
    const result = await screen.findByTestId('add-prices-result');
    // The outcome has the focus: the Import button lost it while it was off.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('add-prices-outcome')));
    expect(transport.calls.find((c) => c.name === 'importPrices')!.input).toEqual({ text, fileName: 'fill.csv', skipBadRows: true });
    expect(result.textContent).toContain('fill.csv: 3 rows (2 symbols). Added 2, replaced 1, unchanged 0, kept stored 0.');
    expect(result.textContent).toContain("NVDA 2025-07-10 close 300 is a jump from 150; stored flagged 'jump' (check for a split).");
    expect(result.textContent).toContain('1 imported symbol no portfolio or factor needs: ZZZZ');
    expect(result.textContent).toContain('Skipped 1 bad row');
    expect(screen.getByTestId('add-prices-stale').textContent).toContain('3 processed dates from 2025-07-09 to 2025-07-11 read closes this import changed.');
    // The lists are read again after the import.
    expect(transport.calls.filter((c) => c.name === 'getMissingPrices').length).toBe(2);
    fireEvent.click(screen.getByTestId('add-prices-retry'));
    expect(navigate).toHaveBeenCalledWith('run', { startDate: '2025-07-09', endDate: '2025-07-11', retry: '1' });
  });

  it('says when nothing is left to retry', async () => {
    renderScreen(() => ({ ...IMPORTED, jumps: [], skipped: [], unneededSymbols: [], stale: { dates: 0, first: null, last: null } }));
    choose(new File(['symbol,date,close\nAAPL,2025-07-09,211.5\n'], 'same.csv'));
    fireEvent.click(screen.getByTestId('add-prices-import'));
    expect((await screen.findByTestId('add-prices-result')).textContent).toContain('nothing to retry');
    expect(screen.queryByTestId('add-prices-retry')).toBeNull();
  });

  it('says a single stale date as one', async () => {
    renderScreen(() => ({ ...IMPORTED, stale: { dates: 1, first: '2026-10-20', last: '2026-10-20' } }));
    choose(new File(['symbol,date,close\nAAPL,2026-10-20,211.5\n'], 'one.csv'));
    fireEvent.click(screen.getByTestId('add-prices-import'));
    expect((await screen.findByTestId('add-prices-stale')).textContent).toBe('1 processed date on 2026-10-20 read closes this import changed. Retry this date...');
  });

  it('clears the outcome when the skip choice changes, as when another file is chosen', async () => {
    renderScreen(() => IMPORTED);
    choose(new File(['symbol,date,close\nAAPL,2025-07-09,211.5\n'], 'fill.csv'));
    fireEvent.click(screen.getByTestId('add-prices-import'));
    await screen.findByTestId('add-prices-result');
    fireEvent.click(screen.getByTestId('add-prices-skip'));
    expect(screen.queryByTestId('add-prices-result')).toBeNull();
    fireEvent.click(screen.getByTestId('add-prices-import'));
    await screen.findByTestId('add-prices-result');
    choose(new File(['symbol,date,close\nAAPL,2025-07-10,212\n'], 'other.csv'));
    expect(screen.queryByTestId('add-prices-result')).toBeNull();
  });

  it("says nothing was imported, with the engine's refusal, and gives it the focus", async () => {
    renderScreen(() => IMPORTED, 'bad.csv line 3, column 3 (close): expected a number, got "abc"; nothing was imported (fix the row, or skip bad rows to import the others)');
    choose(new File(['symbol,date,close\nAAPL,2025-07-09,abc\n'], 'bad.csv'));
    fireEvent.click(screen.getByTestId('add-prices-import'));
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('.state-title')!.textContent).toBe('Nothing was imported');
    expect(alert.textContent).toContain('nothing was imported (fix the row, or skip bad rows to import the others)');
    expect(screen.queryByTestId('add-prices-result')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('add-prices-outcome')));
    expect(screen.getByTestId('add-prices-outcome').contains(alert)).toBe(true);
    // Skipping bad rows is another import: the refusal goes.
    fireEvent.click(screen.getByTestId('add-prices-skip'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('refuses a file over the limit before reading it, naming the CLI command', async () => {
    const { transport } = renderScreen(() => IMPORTED);
    const big = new File(['x'], 'big.csv');
    Object.defineProperty(big, 'size', { value: MAX_PRICES_CSV_CHARS + 1 });
    choose(big);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('big.csv is larger than 8 MB: import it with batchdesk prices import FILE.'));
    expect(screen.getByTestId<HTMLButtonElement>('add-prices-import').disabled).toBe(true);
    expect(transport.calls.some((c) => c.name === 'importPrices')).toBe(false);
  });

  it("the Run screen opened on the retry link's parameters plans a retry of exactly that range", async () => {
    const transport = new FakeTransport({ planRun: () => ({ plan: { target_date: '2025-07-11', mode: 'retry', up_to_date: null, chunks: [], dates: [], warnings: [], refused_by: [] } }) });
    const client = new EngineClient(transport);
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <RunScreen opening={runOpening({ startDate: '2025-07-09', endDate: '2025-07-11', retry: '1' })} />
      </ServicesProvider>,
    );
    expect((screen.getByDisplayValue('range') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('run-start-date') as HTMLInputElement).value).toBe('2025-07-09');
    expect((screen.getByTestId('run-end-date') as HTMLInputElement).value).toBe('2025-07-11');
    expect(screen.getByLabelText(/retry failed phases only/).closest('label')!.querySelector('input')!.checked).toBe(true);
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(transport.calls.some((c) => c.name === 'planRun')).toBe(true));
    expect(transport.calls.find((c) => c.name === 'planRun')!.input).toMatchObject({ startDate: '2025-07-09', endDate: '2025-07-11', retryFailedPhases: true });
    // Without `retry`, a range opens as before (History's gaps).
    expect(runOpening({ startDate: '2025-07-03' })).toEqual({ startDate: '2025-07-03', endDate: undefined, retryFailedPhases: false });
    expect(runOpening({})).toBeUndefined();
  });
});
