/**
 * The missing-price list (SPEC.md b.3 missing_prices, e.6): one row per (date, symbol) with
 * its reason, the fallback used and its age (in calendar and in trading days), and how many lots and portfolios it touched.
 * Filters are bound parameters; lists travel as one JSON parameter read with json_each.
 */
import type { MissingPriceRow } from '../../core/api/commands/view-commands';
import { CalendarRangeError, countTradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { SqliteDatabase } from '../../db/open-database';
import { includeFlag, visibleDateSql } from './completeness';

export interface MissingPriceQuery {
  readonly startDate?: string | undefined;
  readonly endDate?: string | undefined;
  readonly includeIncomplete: boolean;
  readonly symbols: readonly string[];
  readonly reasons: readonly string[];
  readonly resolution?: 'fallback' | 'missing' | undefined;
  readonly portfolioId?: string | undefined;
  readonly limit: number;
}

const WHERE = `
  WHERE (? IS NULL OR mp.price_date >= ?) AND (? IS NULL OR mp.price_date <= ?)
    AND (? = 0 OR mp.symbol IN (SELECT upper(value) FROM json_each(?)))
    AND (? = 0 OR mp.reason IN (SELECT value FROM json_each(?)))
    AND (? IS NULL OR mp.resolution = ?)
    AND (? IS NULL OR EXISTS (
      SELECT 1 FROM positions p
      WHERE p.portfolio_id = ? AND p.deleted_at IS NULL
        AND (p.symbol = mp.symbol OR p.underlying_symbol = mp.symbol)
        AND p.entry_date <= mp.price_date AND (p.exit_date IS NULL OR p.exit_date > mp.price_date)))
    AND ${visibleDateSql('mp.price_date')}`;

function params(q: MissingPriceQuery): unknown[] {
  const start = q.startDate ?? null;
  const end = q.endDate ?? null;
  const res = q.resolution ?? null;
  const pid = q.portfolioId ?? null;
  return [start, start, end, end, q.symbols.length, JSON.stringify(q.symbols), q.reasons.length, JSON.stringify(q.reasons), res, res, pid, pid, includeFlag(q.includeIncomplete)];
}

interface Row {
  price_date: string;
  symbol: string;
  reason: MissingPriceRow['reason'];
  resolution: MissingPriceRow['resolution'];
  fallback_price_date: string | null;
  age: number | null;
  last_known_price_date: string | null;
  provider: string | null;
  detail: string | null;
  positions_affected: number;
  portfolios_affected: number;
}

/**
 * Trading days from the fallback close to the date (the fallback window's unit, e.6): 1 when the
 * fallback is the previous trading day, also over a weekend or a holiday. Null outside the calendar.
 */
export function tradingDaysBack(fallbackDate: string, date: string): number | null {
  try {
    return countTradingDaysBetween(fallbackDate as IsoDate, date as IsoDate) - 1;
  } catch (err) {
    if (err instanceof CalendarRangeError) return null;
    throw err;
  }
}

export function missingPrices(db: SqliteDatabase, q: MissingPriceQuery): { rows: MissingPriceRow[]; total: number; truncated: boolean } {
  const p = params(q);
  const total = (db.prepare(`SELECT count(*) AS n FROM missing_prices mp ${WHERE}`).get(...p) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT mp.price_date, mp.symbol, mp.reason, mp.resolution, mp.fallback_price_date,
              CAST(julianday(mp.price_date) - julianday(mp.fallback_price_date) AS INTEGER) AS age,
              mp.last_known_price_date, mp.provider, mp.detail, mp.positions_affected, mp.portfolios_affected
       FROM missing_prices mp ${WHERE}
       ORDER BY mp.price_date DESC, mp.symbol LIMIT ?`,
    )
    .all(...p, q.limit) as Row[];
  return {
    total,
    truncated: total > rows.length,
    rows: rows.map((r) => ({
      date: r.price_date as MissingPriceRow['date'],
      symbol: r.symbol,
      reason: r.reason,
      resolution: r.resolution,
      fallbackPriceDate: r.fallback_price_date,
      fallbackAgeDays: r.fallback_price_date === null ? null : r.age,
      fallbackAgeTradingDays: r.fallback_price_date === null ? null : tradingDaysBack(r.fallback_price_date, r.price_date),
      lastKnownPriceDate: r.last_known_price_date,
      provider: r.provider,
      detail: r.detail,
      positionsAffected: r.positions_affected,
      portfoliosAffected: r.portfolios_affected,
    })),
  };
}
