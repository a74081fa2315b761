/** Reads of the raw and reference tables the engine needs once per run (SPEC.md b.2). */
import type { IsoDate } from '../../core/domain/iso-date';
import type { EquityChange, Lot, PositionType, RealizedEvent } from '../../core/domain/portfolio';
import type { InvestmentClass } from '../../core/domain/symbols';
import type { ReferenceStore } from '../../core/ports/store';
import { timestampToEpochMs } from '../../core/domain/timestamp';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';
import { inList } from '../sql-lists';

/** The company_profiles columns the engine reads (ProfileRecord): a change to any other does not change a result. */
export const PROFILE_ENGINE_COLUMNS = ['sector', 'is_etf', 'is_fund', 'beta'] as const;

export function referenceRepository(db: SqliteDatabase): ReferenceStore {
  const sql = statementCache(db);
  return {
    listPortfolios() {
      return (
        db
          .prepare(`SELECT id, user_id, name, is_active, equity_balance, initial_equity FROM portfolios WHERE deleted_at IS NULL ORDER BY name, id`)
          .all() as { id: string; user_id: string; name: string; is_active: number; equity_balance: number | null; initial_equity: number | null }[]
      ).map((r) => ({ id: r.id, userId: r.user_id, name: r.name, isActive: r.is_active === 1, equityBalance: r.equity_balance, initialEquity: r.initial_equity }));
    },
    loadLots(ids) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(
          `SELECT id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, exit_date, underlying_symbol, strike_price, expiration_date, investment_class
           FROM positions WHERE deleted_at IS NULL AND portfolio_id IN (${inList(ids)}) ORDER BY portfolio_id, symbol, entry_date, id`,
        )
        .all(...ids) as Record<string, unknown>[];
      return rows.map(
        (r): Lot => ({
          id: r['id'] as string,
          portfolioId: r['portfolio_id'] as string,
          symbol: r['symbol'] as string,
          positionType: r['position_type'] as PositionType,
          quantity: r['quantity'] as number,
          entryPrice: r['entry_price'] as number,
          entryDate: r['entry_date'] as IsoDate,
          exitDate: (r['exit_date'] as IsoDate | null) ?? null,
          underlyingSymbol: (r['underlying_symbol'] as string | null) ?? null,
          strikePrice: (r['strike_price'] as number | null) ?? null,
          expirationDate: (r['expiration_date'] as IsoDate | null) ?? null,
          investmentClass: r['investment_class'] as InvestmentClass,
        }),
      );
    },
    loadRealizedEvents(ids) {
      if (ids.length === 0) return [];
      return (
        db
          .prepare(
            `SELECT e.id, e.position_id, e.portfolio_id, e.trade_date, e.quantity_closed, e.realized_pnl, e.exit_price
             FROM position_realized_events e JOIN positions p ON p.id = e.position_id
             WHERE p.deleted_at IS NULL AND e.portfolio_id IN (${inList(ids)}) ORDER BY e.trade_date, e.id`,
          )
          .all(...ids) as Record<string, unknown>[]
      ).map(
        (r): RealizedEvent & { portfolioId: string } => ({
          id: r['id'] as string,
          positionId: r['position_id'] as string,
          portfolioId: r['portfolio_id'] as string,
          tradeDate: r['trade_date'] as IsoDate,
          quantityClosed: r['quantity_closed'] as number,
          realizedPnl: r['realized_pnl'] as number,
          exitPrice: (r['exit_price'] as number | null) ?? null,
        }),
      );
    },
    loadEquityChanges(ids) {
      if (ids.length === 0) return [];
      return (
        db
          .prepare(
            `SELECT portfolio_id, change_type, amount, change_date FROM equity_changes WHERE deleted_at IS NULL AND portfolio_id IN (${inList(ids)}) ORDER BY change_date, id`,
          )
          .all(...ids) as Record<string, unknown>[]
      ).map(
        (r): EquityChange => ({
          portfolioId: r['portfolio_id'] as string,
          changeType: r['change_type'] as EquityChange['changeType'],
          amount: r['amount'] as number,
          changeDate: r['change_date'] as IsoDate,
        }),
      );
    },
    loadProfiles() {
      const rows = sql(`SELECT symbol, ${PROFILE_ENGINE_COLUMNS.join(', ')}, data_source, last_updated FROM company_profiles`).all() as Record<string, unknown>[];
      return new Map(
        rows.map((r) => [
          r['symbol'] as string,
          {
            symbol: r['symbol'] as string,
            sector: (r['sector'] as string | null) ?? null,
            isEtf: r['is_etf'] === 1,
            isFund: r['is_fund'] === 1,
            beta: (r['beta'] as number | null) ?? null,
            dataSource: r['data_source'] as string,
            lastUpdatedMs: timestampToEpochMs(r['last_updated'] as string) || 0,
          },
        ]),
      );
    },
    loadFactors() {
      return sql(`SELECT id, name FROM factor_definitions WHERE is_active = 1 ORDER BY display_order, name`).all() as { id: string; name: string }[];
    },
    loadScenarios() {
      return (
        sql(`SELECT id, scenario_id, name, category, severity, active, shock_config FROM stress_test_scenarios ORDER BY scenario_id`).all() as Record<string, unknown>[]
      ).map((r) => ({
        id: r['id'] as string,
        scenarioId: r['scenario_id'] as string,
        name: r['name'] as string,
        category: (r['category'] as string | null) ?? null,
        severity: (r['severity'] as string | null) ?? null,
        active: r['active'] === 1,
        shocks: JSON.parse(r['shock_config'] as string) as Record<string, number>,
      }));
    },
    loadSettings() {
      const out: Record<string, unknown> = {};
      for (const r of sql(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]) out[r.key] = JSON.parse(r.value);
      return out;
    },
    setSetting(key, value, nowIso) {
      const json = JSON.stringify(value);
      sql(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE settings.value IS NOT excluded.value`,
      ).run(key, json, nowIso);
    },
  };
}
