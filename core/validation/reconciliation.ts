/**
 * Reconciliation of one portfolio-date (SPEC.md i.1, m.11). Money in dollars; a difference
 * is flagged when |difference| > T (default 1.00).
 *
 *   S_marked = Σ market_value of D's marks for lots active on D with a non-missing mark
 *   S_all    = Σ over every lot active on D: its mark's value, or for an unmarked lot
 *              q_D × multiplier × its latest valid close of any age, else its entry price
 *   1 NAV vs positions          (total_value − cash_value) − S_marked
 *   2 NAV vs positions + cash   total_value − (S_all + cash_value)
 *   3 daily P&L vs Δ cumulative daily_pnl − (cumulative_pnl − previous cumulative_pnl)   (0 at the baseline)
 *   4 equity vs NAV             equity_balance − total_value; latest date: portfolios.equity_balance − equity_balance
 *   5 snapshot cash vs derived  cash_value − (equity_balance − S_marked)
 *   6 equity roll-forward       equity_balance − (previous equity + daily_pnl + daily_capital_flow)
 *
 * Imported dates without marks: checks 1, 2 and 5 are n/a. Leverage (cash < 0) and staleness
 * are informational lines, never flags. A flagged check is explained by its contributors: lots
 * without a mark row, lots whose price is missing, and lots marked by fallback or by the model.
 */
import { formatMoney, roundCents } from '../domain/money';

export interface ReconcileLot {
  readonly positionId: string;
  readonly symbol: string;
  /** The lot's mark of D, or null when no position_marks row exists for it. */
  readonly mark: { readonly priceSource: string; readonly marketValue: number | null; readonly priceDate: string | null } | null;
  /** How S_all values the lot without a usable mark (hasUsableMark); null when its mark is used. */
  readonly unmarked: UnmarkedValue | null;
}

/** The value S_all gives a lot without a usable mark: q_D × multiplier × latest close (any age), else entry price. */
export interface UnmarkedValue {
  readonly value: number;
  readonly basis: 'latest_close' | 'entry_price';
  /** Date of that latest close (null for the entry price). */
  readonly priceDate: string | null;
}

export interface ReconcileSnapshot {
  readonly totalValue: number;
  readonly cashValue: number;
  readonly dailyPnl: number | null;
  readonly cumulativePnl: number | null;
  readonly equityBalance: number | null;
  readonly dailyCapitalFlow: number | null;
  readonly grossExposure: number;
  readonly longValue: number;
  readonly shortValue: number;
}

export interface ReconcileInput {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly date: string;
  readonly snapshot: ReconcileSnapshot;
  /** The latest snapshot strictly before D, or null at the baseline. */
  readonly previous: { readonly cumulativePnl: number | null; readonly equityBalance: number | null } | null;
  readonly initialEquity: number | null;
  /** portfolios.equity_balance (compared on the portfolio's latest date only). */
  readonly portfolioEquityBalance: number | null;
  readonly isLatestDate: boolean;
  /** Lots active on D. */
  readonly lots: readonly ReconcileLot[];
  /** Σ realized_pnl of the portfolio's events dated D. */
  readonly realizedToday: number;
  /** Σ closing_pnl of D's marks. */
  readonly closingPnlToday: number;
  readonly stale: boolean;
  /** An imported date without marks (checks 1, 2 and 5 do not apply). */
  readonly importedWithoutMarks: boolean;
}

export type CheckStatus = 'ok' | 'flag' | 'n/a';

export interface ReconcileCheck {
  readonly id: 1 | 2 | 3 | 4 | 5 | 6;
  readonly name: string;
  readonly difference: number | null;
  readonly status: CheckStatus;
  /** Check 4's second comparison on the latest date. */
  readonly secondary?: { readonly name: string; readonly difference: number; readonly status: CheckStatus };
  readonly note?: string;
}

export interface InfoLine {
  readonly kind: 'LEVERAGE' | 'STALE' | 'REALIZED';
  readonly text: string;
  /** LEVERAGE: borrowed, gross_exposure, equity and gross_to_equity (null when equity <= 0: no meaningful ratio). */
  readonly values: Readonly<Record<string, number | null>>;
}

export interface ReconcileResult {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly date: string;
  readonly flagged: boolean;
  readonly checks: readonly ReconcileCheck[];
  readonly sMarked: number;
  readonly sAll: number;
  readonly markedLots: number;
  readonly unmarkedLots: number;
  readonly info: readonly InfoLine[];
  /** Contributors to flagged breaks, one sentence each. */
  readonly explanations: readonly string[];
}

/** Whether S_marked counts the lot's mark: it exists, has a price and a value. */
export const hasUsableMark = (mark: ReconcileLot['mark']): boolean => mark !== null && mark.priceSource !== 'missing' && mark.marketValue !== null;
const isMarked = (l: ReconcileLot) => hasUsableMark(l.mark);
const unmarkedValue = (l: ReconcileLot) => l.unmarked?.value ?? 0;

/** Previous equity as the snapshot roll-forward takes it (SPEC.md d.4). */
export function previousEquity(input: Pick<ReconcileInput, 'previous' | 'initialEquity' | 'portfolioEquityBalance'>): number {
  const p = input.previous?.equityBalance;
  if (p !== null && p !== undefined && p !== 0) return p;
  if (input.initialEquity !== null) return input.initialEquity;
  if (input.portfolioEquityBalance !== null) return input.portfolioEquityBalance;
  return 0;
}

export function reconcilePortfolioDate(input: ReconcileInput, threshold = 1): ReconcileResult {
  const s = input.snapshot;
  const flag = (x: number | null): CheckStatus => (x === null ? 'n/a' : Math.abs(x) > threshold ? 'flag' : 'ok');
  const marked = input.lots.filter(isMarked);
  const unmarked = input.lots.filter((l) => !isMarked(l));
  const sMarked = roundCents(marked.reduce((acc, l) => acc + l.mark!.marketValue!, 0));
  const sAll = roundCents(sMarked + unmarked.reduce((acc, l) => acc + unmarkedValue(l), 0));
  const equity = s.equityBalance ?? s.totalValue;
  const noMarks = input.importedWithoutMarks;
  const d1 = noMarks ? null : roundCents(s.totalValue - s.cashValue - sMarked);
  const d2 = noMarks ? null : roundCents(s.totalValue - (sAll + s.cashValue));
  const d3 = s.dailyPnl === null ? null : roundCents(s.dailyPnl - ((s.cumulativePnl ?? 0) - (input.previous?.cumulativePnl ?? 0)));
  const d4 = roundCents(equity - s.totalValue);
  const d5 = noMarks ? null : roundCents(s.cashValue - (equity - sMarked));
  const d6 = roundCents(equity - (previousEquity(input) + (s.dailyPnl ?? 0) + (s.dailyCapitalFlow ?? 0)));
  const naNote = noMarks ? 'n/a (no marks: imported)' : undefined;
  const secondary =
    input.isLatestDate && input.portfolioEquityBalance !== null
      ? { name: 'portfolio equity vs snapshot equity', difference: roundCents(input.portfolioEquityBalance - equity), status: flag(roundCents(input.portfolioEquityBalance - equity)) }
      : undefined;
  const checks: ReconcileCheck[] = [
    { id: 1, name: 'NAV - cash vs positions', difference: d1, status: flag(d1), ...(naNote ? { note: naNote } : {}) },
    { id: 2, name: 'NAV vs positions + cash', difference: d2, status: flag(d2), ...(naNote ? { note: naNote } : {}) },
    { id: 3, name: 'daily P&L vs change in cumulative P&L', difference: d3, status: flag(d3) },
    { id: 4, name: 'equity vs NAV', difference: d4, status: secondary?.status === 'flag' ? 'flag' : flag(d4), ...(secondary ? { secondary } : {}) },
    { id: 5, name: 'snapshot cash vs derived cash', difference: d5, status: flag(d5), ...(naNote ? { note: naNote } : {}) },
    { id: 6, name: 'equity roll-forward', difference: d6, status: flag(d6) },
  ];
  const flagged = checks.some((c) => c.status === 'flag');

  const info: InfoLine[] = [];
  if (s.cashValue < 0) {
    // A leverage ratio only while equity is positive: at or below zero (the demo hedge fund's goes
    // negative) the quotient means nothing, so it is null and the line says why, as the app's
    // Reconciliation screen does (ASCII here).
    const lev = equity > 0 ? s.grossExposure / equity : null;
    info.push({
      kind: 'LEVERAGE',
      text: `borrowed ${formatMoney(-s.cashValue)}; gross exposure / equity ${lev === null ? `n/a: equity <= 0 (${formatMoney(equity)})` : `= ${lev.toFixed(4)}`}`,
      values: { borrowed: roundCents(-s.cashValue), gross_exposure: s.grossExposure, equity, gross_to_equity: lev },
    });
  }
  if (input.stale) info.push({ kind: 'STALE', text: 'tracking marks this portfolio-date stale: upstream work changed after it was computed', values: {} });
  if (input.realizedToday !== 0 || input.closingPnlToday !== 0) {
    info.push({
      kind: 'REALIZED',
      text: `realized events of D ${formatMoney(input.realizedToday)}; closing P&L in D's marks ${formatMoney(input.closingPnlToday)} (realized gains reach P&L through price moves and are not added twice)`,
      values: { realized_pnl: roundCents(input.realizedToday), closing_pnl: roundCents(input.closingPnlToday) },
    });
  }

  const explanations: string[] = [];
  if (flagged) explanations.push(...explainBreaks(input, checks, unmarked, marked, sMarked));
  return { portfolioId: input.portfolioId, portfolioName: input.portfolioName, date: input.date, flagged, checks, sMarked, sAll, markedLots: marked.length, unmarkedLots: unmarked.length, info, explanations };
}

function explainBreaks(input: ReconcileInput, checks: readonly ReconcileCheck[], unmarked: readonly ReconcileLot[], marked: readonly ReconcileLot[], sMarked: number): string[] {
  const out: string[] = [];
  const byId = (id: number) => checks.find((c) => c.id === id)!;
  for (const l of unmarked) {
    const value = `${l.unmarked?.basis === 'latest_close' ? `valued at its latest close of ${l.unmarked.priceDate}` : 'valued at its entry price'}: ${formatMoney(unmarkedValue(l))}`;
    if (l.mark === null) out.push(`lot ${l.positionId} (${l.symbol}) is active on ${input.date} but has no mark (${value})`);
    else out.push(`lot ${l.positionId} (${l.symbol}) has no price on ${input.date} (mark source missing; ${value})`);
  }
  for (const l of marked) {
    if (l.mark!.priceSource === 'fallback') out.push(`lot ${l.positionId} (${l.symbol}) is marked by fallback (close of ${l.mark!.priceDate}): ${formatMoney(l.mark!.marketValue)}`);
    else if (l.mark!.priceSource === 'model') out.push(`lot ${l.positionId} (${l.symbol}) is marked by the option model: ${formatMoney(l.mark!.marketValue)}`);
  }
  const c1 = byId(1);
  const c5 = byId(5);
  const unmarkedSum = roundCents(unmarked.reduce((a, l) => a + (l.mark === null ? unmarkedValue(l) : 0), 0));
  if ((c1.status === 'flag' || c5.status === 'flag') && unmarked.every((l) => l.mark !== null)) {
    // Check 5 breaks when the cash is off; check 1 alone when NAV is.
    const { cashValue, totalValue } = input.snapshot;
    const what =
      c5.status === 'flag'
        ? `the snapshot's cash (${formatMoney(cashValue)}) disagrees with equity - marked positions (${formatMoney((input.snapshot.equityBalance ?? totalValue) - sMarked)})`
        : `NAV - cash (${formatMoney(totalValue - cashValue)}) disagrees with the marked positions (${formatMoney(sMarked)})`;
    out.push(`no lot without a mark explains the break: ${what}; the snapshot or its marks were changed after the run`);
  } else if (c1.status === 'flag' && c1.difference !== null && Math.abs(c1.difference - unmarkedSum) > 1) {
    out.push(`lots without a mark account for ${formatMoney(unmarkedSum)} of the ${formatMoney(c1.difference)} difference; the rest (${formatMoney(c1.difference - unmarkedSum)}) is not explained by the marks (snapshot cash or NAV changed after the run)`);
  }
  if (byId(3).status === 'flag') {
    const from = input.previous?.cumulativePnl ?? 0;
    const to = input.snapshot.cumulativePnl;
    out.push(`daily P&L ${formatMoney(input.snapshot.dailyPnl)} does not equal the change in cumulative P&L from ${formatMoney(from)} to ${formatMoney(to)} (${formatMoney(to === null ? null : to - from)})`);
  }
  if (byId(6).status === 'flag') out.push(`equity ${formatMoney(input.snapshot.equityBalance)} does not roll forward from the previous equity ${formatMoney(previousEquity(input))} + daily P&L + capital flow`);
  if (byId(4).status === 'flag') out.push(`equity and NAV disagree${byId(4).secondary?.status === 'flag' ? ' (portfolios.equity_balance differs from the latest snapshot)' : ''}`);
  return out;
}

/** Sort order of i.1: flagged first, then by portfolio name, then by date. */
export function sortReconcileResults(results: readonly ReconcileResult[]): ReconcileResult[] {
  return [...results].sort((a, b) => {
    if (a.flagged !== b.flagged) return a.flagged ? -1 : 1;
    if (a.portfolioName !== b.portfolioName) return a.portfolioName < b.portfolioName ? -1 : 1;
    return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  });
}
