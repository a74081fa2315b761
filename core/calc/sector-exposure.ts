/**
 * Sector exposure of a portfolio-date (SPEC.md d.13, analytics job `sector_concentration`).
 *
 * Lots: active on D with a non-missing mark (the engine selects them); value |MV_i|.
 * Bucket per lot:
 * - PRIVATE or OPTIONS lots → 'Unclassified';
 * - PUBLIC lots whose profile has is_etf = 1 → 'ETFs';
 * - PUBLIC lots with a profile sector → that sector, trimmed;
 * - PUBLIC lots with neither are left out (as in the reference), and counted.
 * weight = bucket value / E (E = the snapshot's equity of D); stored as the JSON object
 * `sector_exposure` (bucket → weight), keys in ascending order.
 * E ≤ 0 (or not finite) → `non_positive_equity`. Non-finite market values are ignored.
 */
import type { InvestmentClass } from '../domain/symbols';
import { calcFailure, type CalcFailure } from './outcome';

export const UNCLASSIFIED_BUCKET = 'Unclassified';
export const ETF_BUCKET = 'ETFs';

export interface SectorLot {
  readonly investmentClass: InvestmentClass;
  readonly marketValue: number;
  /** company_profiles.is_etf (false/null when no profile). */
  readonly isEtf: boolean | null;
  /** company_profiles.sector (null when no profile or no sector). */
  readonly sector: string | null;
}

/** The bucket of one lot, or null when the lot is left out (SPEC.md d.13). */
export function sectorBucket(lot: Pick<SectorLot, 'investmentClass' | 'isEtf' | 'sector'>): string | null {
  if (lot.investmentClass === 'PRIVATE' || lot.investmentClass === 'OPTIONS') return UNCLASSIFIED_BUCKET;
  if (lot.isEtf === true) return ETF_BUCKET;
  const sector = lot.sector?.trim() ?? '';
  return sector === '' ? null : sector;
}

export interface SectorExposure {
  readonly ok: true;
  /** bucket → weight (fraction of equity). */
  readonly exposure: Readonly<Record<string, number>>;
  /** Public lots with neither an ETF flag nor a sector. */
  readonly leftOutLots: number;
}

export function sectorExposure(lots: readonly SectorLot[], equity: number): SectorExposure | CalcFailure<'non_positive_equity'> {
  if (!(equity > 0) || !Number.isFinite(equity)) return calcFailure('non_positive_equity');
  const totals = new Map<string, number>();
  let leftOut = 0;
  for (const lot of lots) {
    if (!Number.isFinite(lot.marketValue)) continue;
    const bucket = sectorBucket(lot);
    if (bucket === null) {
      leftOut++;
      continue;
    }
    totals.set(bucket, (totals.get(bucket) ?? 0) + Math.abs(lot.marketValue));
  }
  const exposure: Record<string, number> = {};
  for (const key of [...totals.keys()].sort()) exposure[key] = totals.get(key)! / equity;
  return { ok: true, exposure, leftOutLots: leftOut };
}
