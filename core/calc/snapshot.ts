/**
 * The portfolio snapshot of D (SPEC.md d.4, m.9): P&L and equity roll-forward, exposures,
 * counts, cash and option Greeks.
 *
 *   cumulative_pnl_raw = previous raw cumulative + Σ lot contributions      (unrounded)
 *   cumulative_pnl     = roundCents(cumulative_pnl_raw)
 *   daily_pnl          = roundCents(cumulative_pnl − previous cumulative_pnl)
 *   new_equity         = roundCents(prev_equity + daily_pnl + daily_capital_flow)
 *   cash               = roundCents(new_equity − net_exposure)              (not floored)
 *
 * Because cumulative P&L is the rounded running total and daily P&L its difference, rounding
 * never accumulates. Exposures sum unrounded lot values (quantity × price × multiplier) and
 * round only the totals, so per-lot rounding never reaches cash (m.9). Money in dollars.
 */
import type { IsoDate } from '../domain/iso-date';
import { exposureOf, type LotMark } from '../domain/mark';
import { CompensatedSum, roundCents } from '../domain/money';
import type { EquityChange } from '../domain/portfolio';

export interface PreviousSnapshot {
  readonly snapshotDate: IsoDate;
  readonly equityBalance: number | null;
  readonly cumulativePnl: number | null;
  readonly cumulativePnlRaw: number | null;
  readonly cumulativeRealizedPnl: number | null;
  readonly cumulativeCapitalFlow: number | null;
}

export interface SnapshotInput {
  readonly d: IsoDate;
  /** Marks of D for the portfolio (active lots and lots fully closed on D). */
  readonly marks: readonly LotMark[];
  readonly previous: PreviousSnapshot | null;
  readonly initialEquity: number | null;
  readonly equityBalance: number | null;
  /** Σ realized_pnl of the portfolio's events dated D. */
  readonly realizedToday: number;
  /** Non-deleted equity changes dated D. */
  readonly equityChanges: readonly EquityChange[];
}

export interface SnapshotValues {
  readonly snapshotDate: IsoDate;
  readonly totalValue: number;
  readonly cashValue: number;
  readonly longValue: number;
  readonly shortValue: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly dailyPnl: number;
  readonly dailyReturn: number;
  readonly cumulativePnl: number;
  readonly cumulativePnlRaw: number;
  readonly dailyRealizedPnl: number;
  readonly cumulativeRealizedPnl: number;
  readonly dailyCapitalFlow: number;
  readonly cumulativeCapitalFlow: number;
  readonly portfolioDelta: number;
  readonly portfolioGamma: number;
  readonly portfolioTheta: number;
  readonly portfolioVega: number;
  readonly numPositions: number;
  readonly numLongPositions: number;
  readonly numShortPositions: number;
  readonly numUnmarkedPositions: number;
  readonly equityBalance: number;
  readonly isBaseline: boolean;
  /** Previous equity used by the roll-forward (for reports). */
  readonly previousEquity: number;
}

/** Previous equity (d.4): P's equity when non-null and non-zero, else initial, else legacy equity, else 0. */
export function previousEquity(previous: PreviousSnapshot | null, initialEquity: number | null, equityBalance: number | null): number {
  if (previous && previous.equityBalance !== null && previous.equityBalance !== 0) return previous.equityBalance;
  if (initialEquity !== null) return initialEquity;
  if (equityBalance !== null) return equityBalance;
  return 0;
}

export function computeSnapshot(input: SnapshotInput): SnapshotValues {
  const { marks, previous } = input;
  const prevEquity = previousEquity(previous, input.initialEquity, input.equityBalance);

  const daily = new CompensatedSum();
  for (const m of marks) daily.add(m.dailyPnl);
  const cumulativePnlRaw = (previous?.cumulativePnlRaw ?? previous?.cumulativePnl ?? 0) + daily.value;
  const cumulativePnl = roundCents(cumulativePnlRaw);
  const dailyPnl = roundCents(cumulativePnl - (previous?.cumulativePnl ?? 0));
  const dailyRealizedPnl = roundCents(input.realizedToday);
  const cumulativeRealizedPnl = roundCents((previous?.cumulativeRealizedPnl ?? 0) + dailyRealizedPnl);
  const flow = new CompensatedSum();
  for (const c of input.equityChanges) flow.add(c.changeType === 'CONTRIBUTION' ? c.amount : -c.amount);
  const dailyCapitalFlow = roundCents(flow.value);
  const cumulativeCapitalFlow = roundCents((previous?.cumulativeCapitalFlow ?? 0) + dailyCapitalFlow);
  const newEquity = roundCents(prevEquity + dailyPnl + dailyCapitalFlow);

  const long = new CompensatedSum();
  const short = new CompensatedSum();
  const gross = new CompensatedSum();
  const delta = new CompensatedSum();
  const gamma = new CompensatedSum();
  const theta = new CompensatedSum();
  const vega = new CompensatedSum();
  let numPositions = 0;
  let numLong = 0;
  let numShort = 0;
  let numUnmarked = 0;
  for (const m of marks) {
    if (!m.isActive) continue;
    numPositions++;
    if (m.quantity > 0) numLong++;
    else if (m.quantity < 0) numShort++;
    if (m.priceSource === 'missing') {
      numUnmarked++;
      continue;
    }
    const e = exposureOf(m);
    if (e > 0) long.add(e);
    else if (e < 0) short.add(e);
    gross.add(Math.abs(e));
    if (m.delta !== null && m.underlyingPrice !== null) {
      const s = m.underlyingPrice;
      const units = m.quantity * m.multiplier;
      delta.add(units * m.delta * s);
      gamma.add((units * (m.gamma ?? 0) * s * s) / 100);
      theta.add(units * (m.theta ?? 0));
      vega.add(units * (m.vega ?? 0));
    }
  }
  const netRaw = long.value + short.value;
  const netExposure = roundCents(netRaw);
  return {
    snapshotDate: input.d,
    totalValue: newEquity,
    cashValue: roundCents(newEquity - netExposure),
    longValue: roundCents(long.value),
    shortValue: roundCents(short.value),
    grossExposure: roundCents(gross.value),
    netExposure,
    dailyPnl,
    dailyReturn: prevEquity > 0 ? dailyPnl / prevEquity : 0,
    cumulativePnl,
    cumulativePnlRaw,
    dailyRealizedPnl,
    cumulativeRealizedPnl,
    dailyCapitalFlow,
    cumulativeCapitalFlow,
    portfolioDelta: roundCents(delta.value),
    portfolioGamma: roundCents(gamma.value),
    portfolioTheta: roundCents(theta.value),
    portfolioVega: roundCents(vega.value),
    numPositions,
    numLongPositions: numLong,
    numShortPositions: numShort,
    numUnmarkedPositions: numUnmarked,
    equityBalance: newEquity,
    isBaseline: previous === null,
    previousEquity: prevEquity,
  };
}
