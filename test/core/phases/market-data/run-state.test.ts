/**
 * The run's market-data state: circuit openings are counted as transitions, and a refusal of
 * an open circuit goes to the fetch log once per symbol and opening (SPEC.md e.7, h.5).
 */
import { describe, expect, it } from 'vitest';
import { MarketDataRunState } from '../../../../core/phases/market-data/run-state';

describe('MarketDataRunState circuit refusals', () => {
  it('logs the first refusal of each symbol per opening, per provider; counts openings', () => {
    const s = new MarketDataRunState();
    s.circuitOpened('yahoo');
    expect([s.logsRefusal('yahoo', 'SPY'), s.logsRefusal('yahoo', 'SPY'), s.logsRefusal('yahoo', 'KO'), s.logsRefusal('yahoo', 'KO')]).toEqual([true, false, true, false]);
    // Another provider keeps its own record.
    expect(s.logsRefusal('csv', 'SPY')).toBe(true);
    // A new opening (after a failed half-open trial) logs each symbol's refusal once again.
    s.circuitOpened('yahoo');
    expect([s.logsRefusal('yahoo', 'SPY'), s.logsRefusal('yahoo', 'SPY'), s.logsRefusal('csv', 'SPY')]).toEqual([true, false, false]);
    expect(s.counters.circuitOpens).toBe(2);
  });
});
