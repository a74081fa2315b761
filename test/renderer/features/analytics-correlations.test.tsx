// @vitest-environment happy-dom
/**
 * The Analytics screen's Correlations section counts the distinct pairs of its symbols,
 * n(n-1)/2, not the matrix's stored rows: those are n², each pair in both orders and each
 * symbol with itself (14 positions read "Pairs 196" for 91 pairs).
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Correlation } from '../../../core/api/commands/view-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { AnalyticsScreen } from '../../../renderer/features/analytics/analytics-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { analyticsView } from '../../support/app/analytics-view';
import { FakeTransport } from '../../support/app/fake-transport';

// The charts draw on a canvas, which happy-dom has not.
vi.mock('../../../renderer/ui/chart', () => ({ Chart: () => null }));

afterEach(cleanup);

/** The whole matrix of `symbols`, as the correlations job stores it (core/phases/analytics/correlations-job.ts). */
const matrix = (symbols: string[]): Correlation['pairs'] => symbols.flatMap((a) => symbols.map((b) => ({ symbol1: a, symbol2: b, value: a === b ? 1 : 0.5, dataPoints: 62 })));

const symbols = Array.from({ length: 14 }, (_, i) => `S${String(i).padStart(2, '0')}`);

const view = analyticsView({
  correlations: [{ durationDays: 90, overallCorrelation: 0.5, concentrationScore: 0.1, effectivePositions: 9.5, dataQuality: 'daily', positionsIncluded: 14, positionsExcluded: 0, pairs: matrix(symbols) }],
});

describe('the Correlations section', () => {
  it('counts the distinct pairs of its 14 symbols, 91, not the 196 matrix entries', async () => {
    const client = new EngineClient(new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), getSnapshots: () => ({ portfolioId: 'p1', rows: [] }), getAnalytics: () => view }));
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <AnalyticsScreen initialPortfolio="p1" />
      </ServicesProvider>,
    );
    const pairs = await screen.findByTestId('correlation-pairs');
    expect(view.correlations[0]!.pairs).toHaveLength(196);
    expect(pairs.previousElementSibling!.textContent).toBe('Pairs');
    expect(pairs.textContent).toBe('91');
  });
});
