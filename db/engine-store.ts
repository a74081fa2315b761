/**
 * The SQLite implementation of the engine's store ports: one object composed of the
 * repositories, plus transactions (better-sqlite3 nests them as savepoints).
 */
import type { EngineStore } from '../core/ports/engine-store';
import type { SqliteDatabase } from './open-database';
import { purgeDerived } from './maintenance/purge-derived';
import { analyticsRepository } from './repositories/analytics-repository';
import { historyRepository } from './repositories/history-repository';
import { lockRepository } from './repositories/lock-repository';
import { markRepository } from './repositories/mark-repository';
import { priceRepository } from './repositories/price-repository';
import { referenceRepository } from './repositories/reference-repository';
import { snapshotRepository } from './repositories/snapshot-repository';
import { describeStorageError, isFatalStorageError } from './storage-errors';
import { tagRepository } from './repositories/tag-repository';
import { trackingRepository } from './repositories/tracking-repository';

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super('rollback');
  }
}

export function createEngineStore(db: SqliteDatabase): EngineStore {
  const history = historyRepository(db);
  // One wrapper for every transaction: better-sqlite3 builds four closures per
  // db.transaction() call, and a backfill opens tens of thousands (savepoints included).
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn());
  return {
    transaction<T>(fn: () => T): T {
      return (db.inTransaction ? inTransaction(fn) : inTransaction.immediate(fn)) as T;
    },
    rollbackOnly<T>(fn: () => T): T {
      try {
        inTransaction.immediate(() => {
          throw new Rollback(fn());
        });
      } catch (err) {
        if (err instanceof Rollback) return err.value as T;
        throw err;
      }
      throw new Error('unreachable');
    },
    checkpoint() {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    discardPortfolioDate(portfolioId, d, nowIso) {
      // The purge of one portfolio-date, its tracking left to the engine (which records the failure).
      const r = purgeDerived(db, { start: d, end: d, portfolioIds: [portfolioId], keepTracking: true }, nowIso);
      return Object.values(r.deleted).some((n) => n > 0);
    },
    isFatalStorageError,
    describeStorageError,
    ...referenceRepository(db),
    ...priceRepository(db),
    ...markRepository(db),
    ...snapshotRepository(db),
    ...tagRepository(db),
    ...analyticsRepository(db),
    ...trackingRepository(db),
    ...lockRepository(db, (stale, nowIso) => {
      if (stale.runId) history.markInterrupted(stale.runId, nowIso);
    }),
    ...history,
  };
}
