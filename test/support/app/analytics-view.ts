/** An Analytics view for the screen's tests: portfolio p1 on 2026-11-03 with nothing in it, and the given parts. */
import type { AnalyticsView } from '../../../core/api/commands/view-commands';
import type { IsoDate } from '../../../core/domain/iso-date';

export function analyticsView(parts: Partial<AnalyticsView> = {}): AnalyticsView {
  return {
    portfolioId: 'p1',
    date: '2026-11-03' as IsoDate,
    snapshot: null,
    factorExposures: [],
    stressTests: [],
    positionVolatility: [],
    correlations: [],
    sectorExposure: null,
    jobs: {},
    ...parts,
  };
}
