/**
 * Suspect prices (SPEC.md e.4): stored closes flagged `jump` (a one-day move beyond
 * market_data.jump_threshold). They are kept and used, because real moves and splits look the
 * same; this list is where a user reviews them. Each row carries the previous stored close.
 * Filters are bound parameters; the symbol list travels as one JSON parameter.
 */
import type { SuspectPriceRow } from '../../core/api/commands/view-commands';
import type { SqliteDatabase } from '../../db/open-database';

export interface SuspectPriceQuery {
  readonly startDate?: string | undefined;
  readonly endDate?: string | undefined;
  readonly symbols: readonly string[];
  readonly limit: number;
}

const WHERE = `
  WHERE c.validation_flag = 'jump'
    AND (? IS NULL OR c.date >= ?) AND (? IS NULL OR c.date <= ?)
    AND (? = 0 OR c.symbol IN (SELECT upper(value) FROM json_each(?)))`;

export function suspectPrices(db: SqliteDatabase, q: SuspectPriceQuery): { rows: SuspectPriceRow[]; total: number; truncated: boolean } {
  const start = q.startDate ?? null;
  const end = q.endDate ?? null;
  const p = [start, start, end, end, q.symbols.length, JSON.stringify(q.symbols)];
  const total = (db.prepare(`SELECT count(*) AS n FROM market_data_cache c ${WHERE}`).get(...p) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT c.date, c.symbol, c.close, c.data_source,
              (SELECT prev.date FROM market_data_cache prev WHERE prev.symbol = c.symbol AND prev.date < c.date ORDER BY prev.date DESC LIMIT 1) AS previous_date,
              (SELECT prev.close FROM market_data_cache prev WHERE prev.symbol = c.symbol AND prev.date < c.date ORDER BY prev.date DESC LIMIT 1) AS previous_close
       FROM market_data_cache c ${WHERE}
       ORDER BY c.date DESC, c.symbol LIMIT ?`,
    )
    .all(...p, q.limit) as { date: string; symbol: string; close: number; data_source: string; previous_date: string | null; previous_close: number | null }[];
  return {
    total,
    truncated: total > rows.length,
    rows: rows.map((r) => ({
      date: r.date as SuspectPriceRow['date'],
      symbol: r.symbol,
      close: r.close,
      previousDate: r.previous_date as SuspectPriceRow['previousDate'],
      previousClose: r.previous_close,
      change: r.previous_close ? r.close / r.previous_close - 1 : null,
      dataSource: r.data_source,
    })),
  };
}
