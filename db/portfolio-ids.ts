/** `--portfolio` values against this database's portfolios (core's resolvePortfolioIds). */
import { resolvePortfolioIds } from '../core/engine/portfolio-scope';
import type { SqliteDatabase } from './open-database';

/** The full ids of `requested`; [] (every portfolio) for []. Throws a usage error for an unknown or ambiguous value. */
export function portfolioIdsIn(db: SqliteDatabase, requested: readonly string[] = []): string[] {
  if (requested.length === 0) return [];
  return resolvePortfolioIds(db.prepare(`SELECT id FROM portfolios WHERE deleted_at IS NULL ORDER BY id`).all() as { id: string }[], requested);
}
