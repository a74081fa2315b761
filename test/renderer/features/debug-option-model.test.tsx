// @vitest-environment happy-dom
/**
 * Debug a date takes the option model's overrides for its run (d.2.3), as the Run form does:
 * empty fields send none (the settings apply, named in their placeholders); values are sent as numbers; text that is no
 * number, or a value out of the contract's range, is said next to its field and nothing runs.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { DebugScreen } from '../../../renderer/features/debug/debug-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

afterEach(cleanup);

const NOTHING = { state: 'completed', exitCode: 0, batchRunId: null, nothingToRun: 'no portfolio is processed on 2025-07-10', monitor: null, failures: [], documents: [], omitted: 0, error: null };

function renderDebug(): FakeTransport {
  const transport = new FakeTransport({
    listPortfolios: () => ({ portfolios: [] }),
    getSettings: () => ({ settings: [
        { key: 'options.implied_vol', value: 0.25, defaultValue: 0.3, stored: true, updatedAt: '2026-11-20T10:00:00.000000Z' },
        { key: 'options.risk_free_rate', value: 0.04, defaultValue: 0.04, stored: false, updatedAt: null },
      ], extra: {} }),
    debugDate: () => NOTHING,
  });
  const client = new EngineClient(transport);
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <DebugScreen initialDate="2025-07-10" />
    </ServicesProvider>,
  );
  return transport;
}

const debugCalls = (t: FakeTransport) => t.calls.filter((c) => c.name === 'debugDate').map((c) => c.input as Record<string, unknown>);

describe('the option model on Debug a date', () => {
  it('names the settings an empty field stands for, as the Run form does', async () => {
    renderDebug();
    await waitFor(() => expect(screen.getByLabelText('Implied volatility (option model, for this run)').getAttribute('placeholder')).toBe('setting (0.25)'));
    expect(screen.getByLabelText('Risk-free rate (option model, for this run)').getAttribute('placeholder')).toBe('setting (0.04)');
  });

  it('sends no override when the fields are empty, and the numbers typed when they are not', async () => {
    const transport = renderDebug();
    fireEvent.click(screen.getByTestId('debug-run'));
    await screen.findByTestId('debug-result');
    expect(debugCalls(transport)[0]).not.toHaveProperty('impliedVol');
    expect(debugCalls(transport)[0]).not.toHaveProperty('riskFreeRate');

    fireEvent.change(screen.getByLabelText('Implied volatility (option model, for this run)'), { target: { value: '0.45' } });
    fireEvent.change(screen.getByLabelText('Risk-free rate (option model, for this run)'), { target: { value: '0.02' } });
    fireEvent.click(screen.getByTestId('debug-run'));
    await waitFor(() => expect(debugCalls(transport)).toHaveLength(2));
    expect(debugCalls(transport)[1]).toMatchObject({ date: '2025-07-10', impliedVol: 0.45, riskFreeRate: 0.02 });
  });

  it('says what a field takes next to it, and runs nothing, until it is fixed', async () => {
    const transport = renderDebug();
    const vol = screen.getByLabelText('Implied volatility (option model, for this run)');
    fireEvent.change(vol, { target: { value: '0,3' } });
    fireEvent.change(screen.getByLabelText('Risk-free rate (option model, for this run)'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('debug-run'));
    expect(screen.getByTestId('debug-impliedVol-problem').textContent).toBe('"0,3" is not a number. Implied volatility is a number > 0 and <= 5 (0.30 for 30%), or empty for the setting.');
    expect(screen.getByTestId('debug-riskFreeRate-problem').textContent).toBe('The risk-free rate is a number from -0.5 to 1 (0.04 for 4%), or empty for the setting.');
    expect(vol.getAttribute('aria-describedby')).toBe('debug-impliedVol-problem');
    expect(debugCalls(transport)).toEqual([]);

    fireEvent.change(vol, { target: { value: '0.3' } });
    expect(screen.queryByTestId('debug-impliedVol-problem')).toBeNull();
    fireEvent.change(screen.getByLabelText('Risk-free rate (option model, for this run)'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('debug-run'));
    await waitFor(() => expect(debugCalls(transport)).toHaveLength(1));
    expect(debugCalls(transport)[0]).toMatchObject({ impliedVol: 0.3 });
  });
});
