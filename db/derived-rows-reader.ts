/**
 * The SQLite side of monitor-only mode (SPEC.md g.12): a portfolio-date's owned rows and a
 * date's date-level rows in canonical comparable form (m.12), read on the engine's own
 * connection so that, inside a transaction about to be rolled back, they are the computed rows.
 * Column groups appear as `positions.mark` (the lots' mark cache) and `portfolios.equity`.
 */
import type { IsoDate } from '../core/domain/iso-date';
import type { DerivedRowsReader, RowsByTable } from '../core/ports/derived-rows';
import { NO_JSON, sortKeyedRows, type KeyedRow } from '../core/validation/canonical-form';
import { DATE_LEVEL_TABLES, PORTFOLIO_DATE_TABLES, tableSpec } from '../core/validation/table-catalog';
import { jsonColumnsOf, readKeyedRows, toKeyedRow, type IdMaps } from './canonical';
import type { SqliteDatabase } from './open-database';

export function createDerivedRowsReader(db: SqliteDatabase): DerivedRowsReader {
  const pairs = (sql: string, ...params: unknown[]) => new Map((db.prepare(sql).raw().all(...params) as [string, string][]).map(([a, b]) => [a, b]));
  const factor = pairs(`SELECT id, name FROM factor_definitions`);
  const scenario = pairs(`SELECT id, scenario_id FROM stress_test_scenarios`);
  const maps = (correlation: Map<string, string>): IdMaps => ({ factor, scenario, correlation, tag: pairs(`SELECT id, user_id || '|' || name FROM tags_v2`) });
  const markCache = db.prepare(`SELECT id, last_price, market_value, unrealized_pnl, price_date, price_source, marked_as_of FROM positions WHERE portfolio_id = ? AND deleted_at IS NULL ORDER BY id`);
  const equity = db.prepare(`SELECT id, equity_balance FROM portfolios WHERE id = ?`);
  const tags = db.prepare(`SELECT t.* FROM position_tags t JOIN positions p ON p.id = t.position_id WHERE p.portfolio_id = ?`);
  const plain = (key: string, rows: Record<string, unknown>[]): KeyedRow[] =>
    rows.map((r) => ({ key: JSON.stringify([r[key]]), values: r as KeyedRow['values'] }));
  return {
    portfolioDate(portfolioId: string, d: IsoDate): RowsByTable {
      const m = maps(pairs(`SELECT id, portfolio_id || '|' || duration_days || '|' || calculation_date FROM correlation_calculations WHERE portfolio_id = ? AND calculation_date = ?`, portfolioId, d));
      const out: Record<string, readonly KeyedRow[]> = {};
      for (const t of PORTFOLIO_DATE_TABLES) out[t] = readKeyedRows(db, t, { start: d, end: d, portfolioIds: [portfolioId] }, m);
      out['positions.mark'] = plain('id', markCache.all(portfolioId) as Record<string, unknown>[]);
      out['portfolios.equity'] = plain('id', equity.all(portfolioId) as Record<string, unknown>[]);
      const tagSpec = tableSpec('position_tags')!;
      out['position_tags'] = sortKeyedRows((tags.all(portfolioId) as Record<string, unknown>[]).map((r) => toKeyedRow(tagSpec, r, m)), NO_JSON);
      return out;
    },
    dateLevel(d: IsoDate): RowsByTable {
      const m = maps(new Map());
      const out: Record<string, readonly KeyedRow[]> = {};
      for (const t of DATE_LEVEL_TABLES) out[t] = readKeyedRows(db, t, { start: d, end: d }, m);
      return out;
    },
    jsonColumns(table: string) {
      const spec = tableSpec(table);
      return spec ? jsonColumnsOf(spec) : NO_JSON;
    },
  };
}
