// @vitest-environment happy-dom
/**
 * The Analytics screen's headline above the charts says the NAV and cumulative P&L of the date
 * chosen, and of the latest snapshot while none is chosen.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotRow } from '../../../core/api/commands/view-commands';
import type { IsoDate } from '../../../core/domain/iso-date';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { AnalyticsScreen } from '../../../renderer/features/analytics/analytics-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

// The charts draw on a canvas, which happy-dom has not: the headline is what is read here.
vi.mock('../../../renderer/ui/chart', () => ({ Chart: () => null }));

afterEach(cleanup);

const snapshot = (date: string, totalValue: number, cumulativePnl: number): SnapshotRow => ({
  date: date as IsoDate,
  totalValue,
  cashValue: 1_000,
  longValue: totalValue,
  shortValue: 0,
  grossExposure: totalValue,
  netExposure: totalValue,
  dailyPnl: null,
  dailyReturn: null,
  cumulativePnl,
  dailyCapitalFlow: null,
  equityBalance: null,
  numPositions: 3,
  numUnmarkedPositions: 0,
  isBaseline: false,
  realizedVolatility21d: null,
  realizedVolatility63d: null,
  expectedVolatility21d: null,
  volatilityTrend: null,
  volatilityPercentile: null,
  betaCalculated90d: null,
  betaProvider1y: null,
  hhi: null,
  effectiveNumPositions: null,
  top3Concentration: null,
  top10Concentration: null,
});

describe('the Analytics headline', () => {
  it('follows the date chosen, and is the latest snapshot while none is', async () => {
    const client = new EngineClient(
      new FakeTransport({
        listPortfolios: () => ({ portfolios: [] }),
        getSnapshots: () => ({ portfolioId: 'p1', rows: [snapshot('2026-11-02', 100_000, 0), snapshot('2026-11-03', 105_000, 5_000)] }),
      }),
    );
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <AnalyticsScreen initialPortfolio="p1" />
      </ServicesProvider>,
    );
    expect((await screen.findByTestId('analytics-headline')).textContent).toMatch(/^2026-11-03: NAV 105,000\.00, cumulative P&L 5,000\.00/);
    fireEvent.change(screen.getByTestId('analytics-date'), { target: { value: '2026-11-02' } });
    expect(screen.getByTestId('analytics-headline').textContent).toMatch(/^2026-11-02: NAV 100,000\.00, cumulative P&L 0\.00/);
  });
});
