/**
 * `verify demo` (SPEC.md i.3): reads structure, engine data counts, freshness and price
 * coverage of the demo portfolios and scores them with core/validation/demo-readiness.
 * Expected values come from the bundled demo-portfolios.json.
 */
import { DEMO_PORTFOLIOS } from '../../core/data/demo-portfolios';
import { calendarDaysBetween, type IsoDate } from '../../core/domain/iso-date';
import { isActiveOn } from '../../core/domain/portfolio';
import { demoReadiness, type DemoPortfolioFound, type DemoReadiness } from '../../core/validation/demo-readiness';
import { PortfolioDateReader } from '../../db/diagnostics/portfolio-date-inputs';
import type { SqliteDatabase } from '../../db/open-database';
import { inList } from '../../db/sql-lists';

export interface DemoVerification extends DemoReadiness {
  readonly targetDate: string;
  readonly portfolios: readonly DemoPortfolioFound[];
  readonly counts: Readonly<Record<string, number>>;
  readonly latestPriceDate: string | null;
  readonly freshnessDays: number | null;
}

/** `commandSuffix` is appended to each recommended command (the CLI's ` --db PATH`, advisedDbFlag). */
export function verifyDemo(db: SqliteDatabase, target: IsoDate, commandSuffix = ''): DemoVerification {
  const byId = db.prepare(`SELECT id, name FROM portfolios WHERE id = ? AND deleted_at IS NULL`);
  const byHandle = db.prepare(`SELECT p.id, p.name FROM portfolios p JOIN users u ON u.id = p.user_id WHERE u.user_key = ? AND p.name = ? AND p.deleted_at IS NULL`);
  const lots = db.prepare(`SELECT count(*) AS n FROM positions WHERE portfolio_id = ? AND deleted_at IS NULL`);
  const found: DemoPortfolioFound[] = [];
  const ids: string[] = [];
  for (const p of DEMO_PORTFOLIOS) {
    const row = (byId.get(p.portfolio_id_deterministic) ?? byHandle.get(p.user_key, p.portfolio_name)) as { id: string; name: string } | undefined;
    if (row) ids.push(row.id);
    found.push({
      id: p.portfolio_id_deterministic,
      expectedName: p.portfolio_name,
      expectedPositions: p.positions.filter((x) => x.seeded_by_seeder).length,
      foundName: row?.name ?? null,
      foundPositions: row ? (lots.get(row.id) as { n: number }).n : 0,
    });
  }
  const placeholders = ids.length ? inList(ids) : "''";
  const count = (sql: string) => (db.prepare(sql).get(...ids) as { n: number }).n;
  const counts = {
    optionMarksWithGreeks: count(`SELECT count(*) AS n FROM position_marks WHERE portfolio_id IN (${placeholders}) AND delta IS NOT NULL`),
    positionFactorExposures: count(`SELECT count(*) AS n FROM position_factor_exposures WHERE position_id IN (SELECT id FROM positions WHERE portfolio_id IN (${placeholders}))`),
    correlationCalculations: count(`SELECT count(*) AS n FROM correlation_calculations WHERE portfolio_id IN (${placeholders})`),
    portfolioSnapshots: count(`SELECT count(*) AS n FROM portfolio_snapshots WHERE portfolio_id IN (${placeholders})`),
    marketDataSymbols: (db.prepare(`SELECT count(DISTINCT symbol) AS n FROM market_data_cache`).get() as { n: number }).n,
    positions: count(`SELECT count(*) AS n FROM positions WHERE portfolio_id IN (${placeholders}) AND deleted_at IS NULL`),
  };
  const latest = (db.prepare(`SELECT MAX(date) AS d FROM market_data_cache`).get() as { d: IsoDate | null }).d;
  const freshnessDays = latest ? calendarDaysBetween(latest, target) : null;
  const reader = new PortfolioDateReader(db);
  let covered = 0;
  let active = 0;
  for (const id of ids) {
    const d = (db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`).get(id) as { d: IsoDate | null }).d;
    if (!d) {
      active += reader.lotsOf(id).filter((l) => isActiveOn(l, target)).length;
      continue;
    }
    const marks = new Map(reader.marks(id, d).map((m) => [m.positionId, m]));
    for (const l of reader.lotsOf(id)) {
      if (!isActiveOn(l, d)) continue;
      active++;
      const m = marks.get(l.id);
      if (m && m.priceSource !== 'missing') covered++;
    }
  }
  const r = demoReadiness({ portfolios: found, counts, freshnessDays, coveredLots: covered, activeLots: active, commandSuffix });
  return { ...r, targetDate: target, portfolios: found, counts, latestPriceDate: latest, freshnessDays };
}
