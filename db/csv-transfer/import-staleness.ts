/**
 * Applies what an import's changes make stale (core/engine/input-staleness.ts) to the
 * tracking rows, inside the import's transaction, and gives the summary the importers print.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import type { Lot } from '../../core/domain/portfolio';
import type { InputStaleness } from '../../core/engine/input-staleness';
import type { SqliteDatabase } from '../open-database';
import { referenceRepository } from '../repositories/reference-repository';
import { trackingRepository } from '../repositories/tracking-repository';

/** Tracked dates now stale: how many, first and last. */
export interface StaleSummary {
  readonly dates: number;
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
}

export const NOTHING_STALE: StaleSummary = { dates: 0, first: null, last: null };

/** The lots of every portfolio, as the staleness rules take them. */
export function allLots(db: SqliteDatabase): Lot[] {
  const reference = referenceRepository(db);
  return reference.loadLots(reference.listPortfolios().map((p) => p.id));
}

/** Marks the stale cells; returns the tracked dates whose row changed. */
export function markImportStaleness(db: SqliteDatabase, staleness: InputStaleness, nowIso: string): StaleSummary {
  const froms = staleness.spans.map((s) => s.from);
  const tracking = trackingRepository(db);
  const changed = new Set<IsoDate>(tracking.markStale(staleness.marketDataDates, null, ['market_data'], nowIso));
  if (froms.length > 0) {
    const from = [...froms].sort()[0]!;
    const tracked = (db.prepare(`SELECT run_date FROM batch_run_tracking WHERE run_date >= ? ORDER BY run_date`).all(from) as { run_date: IsoDate }[]).map((r) => r.run_date);
    for (const span of staleness.spans) for (const d of tracking.markStale(tracked.filter((t) => t >= span.from), span.portfolioId, span.phases, nowIso)) changed.add(d);
  }
  const dates = [...changed].sort();
  return { dates: dates.length, first: dates[0] ?? null, last: dates[dates.length - 1] ?? null };
}
