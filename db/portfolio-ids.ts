/** `--portfolio` values against this database's portfolios (core's resolvePortfolioIds). */
import { resolvePortfolioIds } from '../core/engine/portfolio-scope';
import type { SqliteDatabase } from './open-database';

/** The full ids of `requested`; [] (every portfolio) for []. Throws a usage error for an unknown or ambiguous value. */
export function portfolioIdsIn(db: SqliteDatabase, requested: readonly string[] = []): string[] {
  if (requested.length === 0) return [];
  return resolvePortfolioIds(db.prepare(`SELECT id, name FROM portfolios WHERE deleted_at IS NULL ORDER BY id`).all() as { id: string; name: string }[], requested);
}

/**
 * The scope's portfolios (id and name, by name), resolved as portfolioIdsIn does: every
 * non-deleted one (only the active ones with `activeOnly`) for no value.
 */
export function portfoliosIn(db: SqliteDatabase, requested: readonly string[], options: { activeOnly?: boolean } = {}): { id: string; name: string }[] {
  const scope = portfolioIdsIn(db, requested);
  const all = db.prepare(`SELECT id, name FROM portfolios WHERE deleted_at IS NULL${options.activeOnly ? ' AND is_active = 1' : ''} ORDER BY name, id`).all() as { id: string; name: string }[];
  return scope.length === 0 ? all : all.filter((p) => scope.includes(p.id));
}
