/**
 * position_marks and the positions.mark cache (SPEC.md b.3, c.7, g.8). The cache columns of
 * a lot are written only when D is on or after its marked_as_of, so re-running an old date
 * never replaces a newer mark.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import type { LotMark, PrevBasis, PriceSource } from '../../core/domain/mark';
import type { MarkStore } from '../../core/ports/store';
import { positionMarks } from '../schema';
import type { SqliteDatabase } from '../open-database';
import { prepareInsert } from '../typed-insert';

/** A position_marks row (all columns) as the engine's LotMark. */
export function markFromRow(r: Record<string, unknown>): LotMark {
  return {
    positionId: r['position_id'] as string,
    portfolioId: r['portfolio_id'] as string,
    markDate: r['mark_date'] as IsoDate,
    isActive: r['is_active'] === 1,
    quantity: r['quantity'] as number,
    multiplier: r['multiplier'] as number,
    price: (r['price'] as number | null) ?? null,
    priceDate: (r['price_date'] as IsoDate | null) ?? null,
    priceSource: r['price_source'] as PriceSource,
    marketValue: (r['market_value'] as number | null) ?? null,
    costBasis: (r['cost_basis'] as number | null) ?? 0,
    unrealizedPnl: (r['unrealized_pnl'] as number | null) ?? null,
    prevPrice: (r['prev_price'] as number | null) ?? null,
    prevPriceDate: (r['prev_price_date'] as IsoDate | null) ?? null,
    prevBasis: ((r['prev_basis'] as PrevBasis | null) ?? 'none') as PrevBasis,
    closedQuantity: r['closed_quantity'] as number,
    closingPnl: r['closing_pnl'] as number,
    dailyPnl: r['daily_pnl'] as number,
    underlyingPrice: (r['underlying_price'] as number | null) ?? null,
    underlyingPriceDate: (r['underlying_price_date'] as IsoDate | null) ?? null,
    impliedVol: (r['implied_vol'] as number | null) ?? null,
    riskFreeRate: (r['risk_free_rate'] as number | null) ?? null,
    timeToExpiry: (r['time_to_expiry'] as number | null) ?? null,
    delta: (r['delta'] as number | null) ?? null,
    gamma: (r['gamma'] as number | null) ?? null,
    theta: (r['theta'] as number | null) ?? null,
    vega: (r['vega'] as number | null) ?? null,
    flags: r['flags'] ? (JSON.parse(r['flags'] as string) as string[]) : [],
  };
}

/**
 * Whether a portfolio-date's new marks differ from its stored ones in any value (not the run
 * that wrote them): another lot, a price, a quantity, a Greek or a flag. None stored = differ.
 */
function marksDiffer(stored: readonly LotMark[], next: readonly LotMark[]): boolean {
  // No rows before and none now is no change (a portfolio with no lot on D, m.22).
  if (stored.length !== next.length) return true;
  const byLot = new Map(stored.map((m) => [m.positionId, m]));
  return next.some((m) => {
    const s = byLot.get(m.positionId);
    if (!s) return true;
    for (const k of Object.keys(m) as (keyof LotMark)[]) {
      if (k === 'flags' ? s.flags.join('\n') !== m.flags.join('\n') : (s[k] ?? null) !== (m[k] ?? null)) return true;
    }
    return false;
  });
}

export function markRepository(db: SqliteDatabase): MarkStore {
  const insert = prepareInsert(db, positionMarks);
  const pricedMarks = db.prepare(`SELECT position_id, mark_date, price FROM position_marks WHERE price IS NOT NULL ORDER BY mark_date`).raw();
  const earliest = db.prepare(`SELECT MIN(mark_date) AS d FROM position_marks WHERE portfolio_id = ?`);
  const load = db.prepare(`SELECT * FROM position_marks WHERE portfolio_id = ? AND mark_date = ? ORDER BY position_id`);
  const has = db.prepare(`SELECT 1 FROM position_marks WHERE portfolio_id = ? AND mark_date = ? LIMIT 1`);
  const del = db.prepare(`DELETE FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`);
  // The cache columns of every lot of the portfolio-date, from the marks just written (or kept as
  // equal): one statement per portfolio-date instead of one per lot.
  const cache = db.prepare(
    `UPDATE positions SET last_price = m.price, market_value = m.market_value, unrealized_pnl = m.unrealized_pnl,
       price_date = m.price_date, price_source = m.price_source, marked_as_of = m.mark_date, updated_at = ?
     FROM position_marks AS m
     WHERE m.portfolio_id = ? AND m.mark_date = ? AND positions.id = m.position_id
       AND (positions.marked_as_of IS NULL OR positions.marked_as_of <= m.mark_date)`,
  );
  return {
    loadPricedMarks(lotIds) {
      const out = new Map<string, { dates: IsoDate[]; prices: number[] }>();
      if (lotIds.length === 0) return out;
      const wanted = new Set(lotIds);
      // One pass over the table (its key leads with the date, so a backfill appends to it).
      for (const [id, date, price] of pricedMarks.all() as [string, IsoDate, number][]) {
        if (!wanted.has(id)) continue;
        let h = out.get(id);
        if (!h) out.set(id, (h = { dates: [], prices: [] }));
        h.dates.push(date);
        h.prices.push(price);
      }
      return out;
    },
    earliestMarkDate(portfolioId) {
      return ((earliest.get(portfolioId) as { d: IsoDate | null }).d ?? null) as IsoDate | null;
    },
    loadMarks(portfolioId, d) {
      return (load.all(portfolioId, d) as Record<string, unknown>[]).map(markFromRow);
    },
    hasMarks(portfolioId, d) {
      return has.get(portfolioId, d) !== undefined;
    },
    replaceMarks(portfolioId, d, marks, runId, nowIso) {
      const changed = marksDiffer((load.all(portfolioId, d) as Record<string, unknown>[]).map(markFromRow), marks);
      if (changed) replace(portfolioId, d, marks, runId, nowIso);
      cache.run(nowIso, portfolioId, d);
      return changed;
    },
  };

  function replace(portfolioId: string, d: IsoDate, marks: readonly LotMark[], runId: string, nowIso: string): void {
    del.run(portfolioId, d);
    insert.many(
      marks.map((m) => ({
        positionId: m.positionId,
        portfolioId: m.portfolioId,
        markDate: m.markDate,
        isActive: m.isActive ? 1 : 0,
        quantity: m.quantity,
        multiplier: m.multiplier,
        price: m.price,
        priceDate: m.priceDate,
        priceSource: m.priceSource,
        marketValue: m.marketValue,
        costBasis: m.costBasis,
        unrealizedPnl: m.unrealizedPnl,
        prevPrice: m.prevPrice,
        prevPriceDate: m.prevPriceDate,
        prevBasis: m.prevBasis,
        closedQuantity: m.closedQuantity,
        closingPnl: m.closingPnl,
        dailyPnl: m.dailyPnl,
        underlyingPrice: m.underlyingPrice,
        underlyingPriceDate: m.underlyingPriceDate,
        impliedVol: m.impliedVol,
        riskFreeRate: m.riskFreeRate,
        timeToExpiry: m.timeToExpiry,
        delta: m.delta,
        gamma: m.gamma,
        theta: m.theta,
        vega: m.vega,
        flags: m.flags.length ? JSON.stringify(m.flags) : null,
        runId,
        computedAt: nowIso,
      })),
    );
  }
}
