// @vitest-environment happy-dom
/**
 * A reversed range on the Missing prices screen was said until the next Apply, after the
 * dates were fixed: the message is said of the date fields as they are now, and once they are
 * fixed it gives way to the step that shows those dates (Apply).
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { MissingPricesScreen } from '../../../renderer/features/missing-prices/missing-prices-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

afterEach(cleanup);

describe('a reversed range of Missing prices', () => {
  it('is no longer said once the dates are fixed, which asks for Apply; after Apply the prices show', async () => {
    const transport = new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), getMissingPrices: () => ({ rows: [], total: 0, truncated: false }), getSuspectPrices: () => ({ rows: [] }) });
    const client = new EngineClient(transport);
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <MissingPricesScreen />
      </ServicesProvider>,
    );
    await screen.findByText('No missing prices');
    fireEvent.change(screen.getByTestId('missing-from'), { target: { value: '2026-11-06' } });
    fireEvent.change(screen.getByTestId('missing-to'), { target: { value: '2026-11-02' } });
    fireEvent.click(screen.getByTestId('missing-apply'));
    await waitFor(() => expect(screen.getByTestId('missing-problem').textContent).toBe('The To date 2026-11-02 is before the From date 2026-11-06.'));
    fireEvent.change(screen.getByTestId('missing-to'), { target: { value: '2026-11-09' } });
    expect(screen.queryByTestId('missing-problem')).toBeNull();
    expect(screen.getByTestId('missing-apply-fixed').textContent).toBe('The dates are fixed: apply the filters to show their missing prices.');
    fireEvent.click(screen.getByTestId('missing-apply'));
    await screen.findByText('No missing prices');
    expect(screen.queryByTestId('missing-apply-fixed')).toBeNull();
  });
});
