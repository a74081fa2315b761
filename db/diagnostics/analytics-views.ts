/**
 * The read queries of the app's factor and stress views (SPEC.md i.8; the same ones behind
 * `GET /api/analytics/factors` and `GET /api/analytics/stress-tests`): one portfolio-date's
 * portfolio factor exposures with factor names, and its stress results with scenario names.
 */
import type { SqliteDatabase } from '../open-database';

export interface FactorViewRow {
  readonly factor: string;
  readonly factor_type: string | null;
  readonly exposure_value: number;
  readonly exposure_dollar: number | null;
  readonly coverage: number | null;
}

export interface StressViewRow {
  readonly scenario: string;
  readonly name: string;
  readonly category: string | null;
  readonly direct_pnl: number | null;
  readonly correlated_pnl: number | null;
  readonly correlation_effect: number | null;
}

export function factorView(db: SqliteDatabase, portfolioId: string, date: string): FactorViewRow[] {
  return db
    .prepare(
      `SELECT f.name AS factor, f.factor_type, e.exposure_value, e.exposure_dollar, e.coverage
       FROM factor_exposures e JOIN factor_definitions f ON f.id = e.factor_id
       WHERE e.portfolio_id = ? AND e.calculation_date = ? ORDER BY f.display_order, f.name`,
    )
    .all(portfolioId, date) as FactorViewRow[];
}

export function stressView(db: SqliteDatabase, portfolioId: string, date: string): StressViewRow[] {
  return db
    .prepare(
      `SELECT s.scenario_id AS scenario, s.name, s.category, r.direct_pnl, r.correlated_pnl, r.correlation_effect
       FROM stress_test_results r JOIN stress_test_scenarios s ON s.id = r.scenario_id
       WHERE r.portfolio_id = ? AND r.calculation_date = ? ORDER BY r.correlated_pnl, s.scenario_id`,
    )
    .all(portfolioId, date) as StressViewRow[];
}
