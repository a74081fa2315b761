// @vitest-environment happy-dom
/**
 * Filter forms and failed queries: a query the engine refuses leaves no results of the
 * previous query under its error (Reconciliation), a reversed range of Missing prices is
 * refused by the form instead of reading as an all-clear, and the engine's messages name the
 * form's fields (purge).
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { DataScreen } from '../../../renderer/features/data/data-screen';
import { MissingPricesScreen } from '../../../renderer/features/missing-prices/missing-prices-screen';
import { ReconciliationScreen } from '../../../renderer/features/reconciliation/reconciliation-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import type { FakeHandler } from '../../support/app/fake-transport';
import { RefusingTransport, usageError } from '../refusing-transport';

afterEach(cleanup);

function renderWith(node: ReactNode, commands: Record<string, FakeHandler>, refusals: ConstructorParameters<typeof RefusingTransport>[1] = {}) {
  const transport = new RefusingTransport({ listPortfolios: () => ({ portfolios: [] }), ...commands }, refusals);
  const client = new EngineClient(transport);
  client.connect();
  render(<ServicesProvider value={{ client, live: new LiveStore(client) }}>{node}</ServicesProvider>);
  return transport;
}

const reconciled = {
  threshold: 1,
  flagged: 1,
  total: 1,
  results: [{ portfolioId: 'p1', portfolioName: 'Growth', date: '2026-11-03', flagged: true, checks: [{ id: 1, name: 'NAV', difference: 5000, status: 'flag' }], info: [], explanations: ['cash moved'] }],
};

describe('a query that fails after one that worked', () => {
  it('Reconciliation shows the error without the previous results', async () => {
    renderWith(
      <ReconciliationScreen initialDate="2026-11-03" />,
      { reconcile: () => reconciled },
      { reconcile: (input) => ((input as { startDate?: string }).startDate ? usageError('reconcile', 'endDate', '--end-date 2026-11-02 is before --start-date 2026-11-06') : null) },
    );
    await waitFor(() => expect(screen.getByTestId('recon-summary').textContent).toContain('Flagged portfolio-dates: 1 / 1'));
    expect(screen.getByTestId('recon-table')).toBeTruthy();
    fireEvent.change(screen.getByTestId('recon-mode'), { target: { value: 'range' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-06' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The To date 2026-11-02 is before the From date 2026-11-06'));
    expect(screen.queryByTestId('recon-summary')).toBeNull();
    expect(screen.queryByTestId('recon-table')).toBeNull();
  });
});

describe('Missing prices with a reversed range', () => {
  it('says the range is reversed and gives no all-clear', async () => {
    const transport = renderWith(<MissingPricesScreen />, { getMissingPrices: () => ({ rows: [], total: 0, truncated: false }), getSuspectPrices: () => ({ rows: [] }) });
    await waitFor(() => expect(screen.getByText('No missing prices')).toBeTruthy());
    const queries = () => transport.calls.filter((c) => c.name === 'getMissingPrices').length;
    const before = queries();
    fireEvent.change(screen.getByTestId('missing-from'), { target: { value: '2026-11-06' } });
    fireEvent.change(screen.getByTestId('missing-to'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByTestId('missing-apply'));
    await waitFor(() => expect(screen.getByTestId('missing-problem').textContent).toBe('The To date 2026-11-02 is before the From date 2026-11-06.'));
    expect(screen.queryByText('No missing prices')).toBeNull();
    expect(screen.queryByText('No suspect prices')).toBeNull();
    expect(screen.queryByTestId('missing-count')).toBeNull();
    expect(queries()).toBe(before);
  });
});

describe('engine messages in form words', () => {
  it('a refused purge names the From and To fields, not the CLI flags or the command', async () => {
    renderWith(<DataScreen />, {}, { purgeDerived: usageError('purgeDerived', 'to', '--to 2026-11-10 is before --from 2026-11-20') });
    fireEvent.click(await screen.findByTestId('purge-start'));
    fireEvent.click(screen.getByTestId('purge-confirm'));
    await waitFor(() => expect(screen.getByText('The To date 2026-11-10 is before the From date 2026-11-20')).toBeTruthy());
    expect(document.body.textContent).not.toMatch(/purgeDerived|--to|\(usage\)/);
  });
});
