/**
 * The lot sets the analytics jobs start from, built from D's marks (SPEC.md d.9-d.13):
 * - active marked lots: lots active on D (mark.isActive) with their mark;
 * - valued lots: active lots whose mark is not 'missing' (sector exposure, concentration);
 * - public marked lots: class PUBLIC with an 'exact' or 'fallback' mark (betas, correlations).
 * Market values are the unrounded exposures quantity × price × multiplier (SPEC.md m.9).
 * E, the snapshot's equity of D, is equity_balance (total_value when absent).
 */
import { exposureOf, type LotMark } from '../../domain/mark';
import type { Lot } from '../../domain/portfolio';
import type { SnapshotRecord } from '../../ports/store';
import type { JobContext } from './job-types';

export interface MarkedLot {
  readonly lot: Lot;
  readonly mark: LotMark;
  /** Signed, unrounded; 0 when the mark is missing. */
  readonly marketValue: number;
}

export function activeMarkedLots(ctx: Pick<JobContext, 'marks' | 'lotsById'>): MarkedLot[] {
  const out: MarkedLot[] = [];
  for (const mark of ctx.marks) {
    if (!mark.isActive) continue;
    const lot = ctx.lotsById.get(mark.positionId);
    if (lot) out.push({ lot, mark, marketValue: exposureOf(mark) });
  }
  return out;
}

export function valuedLots(ctx: Pick<JobContext, 'marks' | 'lotsById'>): MarkedLot[] {
  return activeMarkedLots(ctx).filter((l) => l.mark.priceSource !== 'missing' && l.mark.price !== null);
}

export function publicMarkedLots(ctx: Pick<JobContext, 'marks' | 'lotsById'>): MarkedLot[] {
  return activeMarkedLots(ctx).filter(
    (l) => l.lot.investmentClass === 'PUBLIC' && (l.mark.priceSource === 'exact' || l.mark.priceSource === 'fallback') && l.mark.price !== null,
  );
}

export function equityOf(snapshot: Pick<SnapshotRecord, 'equityBalance' | 'totalValue'>): number {
  return snapshot.equityBalance ?? snapshot.totalValue;
}
