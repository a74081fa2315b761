/** A portfolio-date's marks with provenance (SPEC.md b.3 position_marks, d.2) for the reconciliation drill-down. */
import type { MarkRow } from '../../core/api/commands/view-commands';
import type { SqliteDatabase } from '../../db/open-database';
import { includeFlag, visibleDateSql } from './completeness';

type Db = Record<string, string | number | null>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function flagsOf(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function marksOn(db: SqliteDatabase, portfolioId: string, date: string, includeIncomplete: boolean): MarkRow[] {
  const rows = db
    .prepare(
      `SELECT pm.*, p.symbol, p.position_type, p.investment_class, p.underlying_symbol
       FROM position_marks pm JOIN positions p ON p.id = pm.position_id
       WHERE pm.portfolio_id = ? AND pm.mark_date = ? AND ${visibleDateSql('pm.mark_date')}
       ORDER BY pm.is_active DESC, abs(coalesce(pm.market_value, 0)) DESC, p.symbol`,
    )
    .all(portfolioId, date, includeFlag(includeIncomplete)) as Db[];
  return rows.map((r) => ({
    positionId: r['position_id'] as string,
    symbol: r['symbol'] as string,
    positionType: r['position_type'] as string,
    investmentClass: r['investment_class'] as string,
    underlyingSymbol: (r['underlying_symbol'] as string | null) ?? null,
    isActive: r['is_active'] === 1,
    quantity: r['quantity'] as number,
    multiplier: r['multiplier'] as number,
    price: num(r['price']),
    priceDate: (r['price_date'] as string | null) ?? null,
    priceSource: r['price_source'] as MarkRow['priceSource'],
    marketValue: num(r['market_value']),
    costBasis: num(r['cost_basis']),
    unrealizedPnl: num(r['unrealized_pnl']),
    dailyPnl: r['daily_pnl'] as number,
    prevPrice: num(r['prev_price']),
    prevPriceDate: (r['prev_price_date'] as string | null) ?? null,
    prevBasis: (r['prev_basis'] as string | null) ?? null,
    closedQuantity: r['closed_quantity'] as number,
    closingPnl: r['closing_pnl'] as number,
    underlyingPrice: num(r['underlying_price']),
    impliedVol: num(r['implied_vol']),
    delta: num(r['delta']),
    gamma: num(r['gamma']),
    theta: num(r['theta']),
    vega: num(r['vega']),
    flags: flagsOf(r['flags']),
    computedAt: r['computed_at'] as string,
  }));
}
