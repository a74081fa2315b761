/**
 * The missing-marks guard (SPEC.md d.14), evaluated per portfolio-date before the jobs:
 * eligible = lots active on D of class PUBLIC or OPTIONS; missing = eligible lots marked
 * 'missing'; trips when missing / eligible > threshold (strictly). Threshold 1 disables it.
 */
import type { LotMark } from '../../domain/mark';
import type { Lot } from '../../domain/portfolio';

export interface GuardResult {
  readonly eligible: number;
  readonly missing: number;
  readonly ignored: number;
  /** 4 decimals. */
  readonly ratio: number;
  readonly threshold: number;
  readonly tripped: boolean;
  readonly symbols: readonly string[];
}

export function evaluateMissingMarksGuard(marks: readonly LotMark[], lotsById: ReadonlyMap<string, Lot>, threshold: number): GuardResult {
  let eligible = 0;
  let missing = 0;
  let ignored = 0;
  const symbols = new Set<string>();
  for (const m of marks) {
    if (!m.isActive) continue;
    const lot = lotsById.get(m.positionId);
    if (!lot) continue;
    if (lot.investmentClass !== 'PUBLIC' && lot.investmentClass !== 'OPTIONS') {
      ignored++;
      continue;
    }
    eligible++;
    if (m.priceSource === 'missing') {
      missing++;
      symbols.add(lot.symbol);
    }
  }
  const raw = eligible === 0 ? 0 : missing / eligible;
  return {
    eligible,
    missing,
    ignored,
    ratio: Math.round(raw * 10_000) / 10_000,
    threshold,
    tripped: threshold < 1 && raw > threshold,
    symbols: [...symbols].sort(),
  };
}
