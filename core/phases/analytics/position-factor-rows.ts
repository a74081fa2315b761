/**
 * position_factor_exposures rows of the spread and ridge jobs (SPEC.md d.9): one row per
 * (public marked lot, factor) whose symbol has that factor's row of D, carrying the symbol's
 * beta and quality flag.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { PositionFactorExposureRow } from '../../ports/analytics-store';
import type { LotBetas } from './regression-aggregation';

export function positionFactorRows(lots: readonly LotBetas[], factorIds: ReadonlyMap<string, string>, date: IsoDate): PositionFactorExposureRow[] {
  const out: PositionFactorExposureRow[] = [];
  for (const { lot, rows } of lots) {
    for (const [name, r] of rows) {
      const factorId = factorIds.get(name);
      if (factorId === undefined) continue;
      out.push({ positionId: lot.lot.id, factorId, calculationDate: date, exposureValue: r.betaValue, qualityFlag: r.qualityFlag });
    }
  }
  return out;
}
