// @vitest-environment happy-dom
/**
 * What testers of the Reconciliation screen left:
 *   - a STALE line (tracking marks the portfolio-date stale: upstream work changed after its
 *     snapshot was computed) gave no next step; it says to retry the date, and its button opens
 *     the Run screen on that date with "retry failed phases only";
 *   - a threshold that is no number ("1,5") read as empty and reconciled with the default; it is
 *     said under the fields and nothing is reconciled; so is one the contract refuses (-5, 0),
 *     which reached the engine and came back in its words;
 *   - a date cleared was refilled with the latest complete date and that date reconciled without
 *     a word; the date is required, said under the fields, and nothing is reconciled;
 *   - a refusal under the fields stayed after the field it was about was changed; it goes then
 *     (and comes back if the refused value is entered again, as it is still refused).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { ReconciliationScreen } from '../../../renderer/features/reconciliation/reconciliation-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import type { FakeHandler } from '../../support/app/fake-transport';
import { RefusingTransport, usageError } from '../refusing-transport';

beforeEach(fakeLayout);
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const STALE = { kind: 'STALE', text: 'tracking marks this portfolio-date stale: upstream work changed after it was computed', values: {} };

const result = (info: unknown[]) => ({
  portfolioId: 'hedge',
  portfolioName: 'Hedge',
  date: '2026-11-03',
  flagged: false,
  checks: [{ id: 1, name: 'NAV - cash vs positions', difference: 0, status: 'ok' }],
  sMarked: 1000,
  sAll: 1000,
  markedLots: 1,
  unmarkedLots: 0,
  info,
  explanations: [],
});

function renderRecon(commands: Record<string, FakeHandler> = {}, refusals: ConstructorParameters<typeof RefusingTransport>[1] = {}) {
  const transport = new RefusingTransport(
    {
      listPortfolios: () => ({ portfolios: [] }),
      getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
      reconcile: () => ({ threshold: 1, flagged: 0, total: 1, results: [result([STALE])] }),
      getMarks: () => ({ portfolioId: 'hedge', date: '2026-11-03', snapshot: null, marks: [] }),
      ...commands,
    },
    refusals,
  );
  const client = new EngineClient(transport);
  client.connect();
  const navigate = vi.fn();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <NavigationContext.Provider value={{ route: { screen: 'reconciliation', params: {} }, navigate }}>
        <ReconciliationScreen initialDate="2026-11-03" />
      </NavigationContext.Provider>
    </ServicesProvider>,
  );
  return { transport, navigate };
}

const reconcileInputs = (t: RefusingTransport) => t.calls.filter((c) => c.name === 'reconcile').map((c) => c.input);

describe('a STALE line', () => {
  it('says to retry the date, and opens the Run screen on it with "retry failed phases only"', async () => {
    const { navigate } = renderRecon();
    fireEvent.click(within(await screen.findByTestId('recon-table')).getByText('Hedge'));
    const line = within(await screen.findByTestId('recon-info')).getByText('STALE').parentElement!;
    expect(line.textContent).toBe('STALE tracking marks this portfolio-date stale: upstream work changed after it was computed; retry the date to recompute it, then reconcile again. Retry this date...');
    fireEvent.click(within(line).getByRole('button', { name: 'Retry this date...' }));
    expect(navigate).toHaveBeenCalledWith('run', { startDate: '2026-11-03', endDate: '2026-11-03', retry: '1' });
  });
});

describe('the threshold', () => {
  it('that is no number is said under the fields, and nothing is reconciled; once fixed, it goes and the number is sent', async () => {
    const { transport } = renderRecon();
    await screen.findByTestId('recon-summary');
    const field = screen.getByLabelText('Threshold ($)');
    fireEvent.change(field, { target: { value: '1,5' } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    const message = await screen.findByTestId('recon-form-error');
    expect(message.textContent).toBe('"1,5" is not a number. The threshold is an amount in dollars above 0 (1.00), or empty for the setting.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(message.id);
    expect(reconcileInputs(transport)).toEqual([{ date: '2026-11-03', portfolios: [] }]);
    fireEvent.change(field, { target: { value: '1.5' } });
    expect(screen.queryByTestId('recon-form-error')).toBeNull();
    fireEvent.click(screen.getByTestId('recon-apply'));
    await waitFor(() => expect(reconcileInputs(transport)).toEqual([{ date: '2026-11-03', portfolios: [] }, { date: '2026-11-03', portfolios: [], threshold: 1.5 }]));
  });

  it.each(['-5', '0'])("%s is said under the fields in the form's words, and nothing is reconciled", async (value) => {
    const { transport } = renderRecon();
    await screen.findByTestId('recon-summary');
    const field = screen.getByLabelText('Threshold ($)');
    fireEvent.change(field, { target: { value } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    expect((await screen.findByTestId('recon-form-error')).textContent).toBe('The threshold is an amount in dollars above 0 (1.00), or empty for the setting.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(reconcileInputs(transport)).toEqual([{ date: '2026-11-03', portfolios: [] }]);
  });
});

describe('the date', () => {
  it('cleared stays empty: Reconcile says a date is needed and reconciles nothing', async () => {
    const { transport } = renderRecon();
    await screen.findByTestId('recon-summary');
    const field = screen.getByLabelText('Date') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '' } });
    expect(field.value).toBe('');
    fireEvent.click(screen.getByTestId('recon-apply'));
    const message = await screen.findByTestId('recon-form-error');
    expect(message.textContent).toBe('Choose a date to reconcile.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(message.id);
    expect(field.value).toBe('');
    expect(reconcileInputs(transport)).toEqual([{ date: '2026-11-03', portfolios: [] }]);
    fireEvent.change(field, { target: { value: '2026-11-04' } });
    expect(screen.queryByTestId('recon-form-error')).toBeNull();
  });
});

describe('a refusal under the fields', () => {
  it('goes when a field it is about changes, and is said again for the refused value', async () => {
    renderRecon({}, { reconcile: (input) => ((input as { startDate?: string }).startDate ? usageError('reconcile', 'endDate', '--end-date 2026-11-02 is before --start-date 2026-11-06') : null) });
    await screen.findByTestId('recon-summary');
    fireEvent.change(screen.getByTestId('recon-mode'), { target: { value: 'range' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-06' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByTestId('recon-apply'));
    expect((await screen.findByTestId('recon-form-error')).textContent).toBe('The To date 2026-11-02 is before the From date 2026-11-06');
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-09' } });
    expect(screen.queryByTestId('recon-form-error')).toBeNull();
    expect(screen.getByLabelText('To').getAttribute('aria-describedby')).toBeNull();
    // The refused input is no crash either, while it is no longer what the fields hold.
    expect(screen.queryByText('Something went wrong')).toBeNull();
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-02' } });
    expect(screen.getByTestId('recon-form-error').textContent).toBe('The To date 2026-11-02 is before the From date 2026-11-06');
  });
});
