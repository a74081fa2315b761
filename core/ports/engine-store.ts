/** Everything the engine reads and writes, plus transactions (implemented over SQLite in db/). */
import type { IsoDate } from '../domain/iso-date';
import type { AnalyticsStore } from './analytics-store';
import type { HistoryStore, LockStore, MarkStore, PriceStore, ReferenceStore, SnapshotStore, TagStore, TrackingStore } from './store';

export interface TransactionRunner {
  /** Runs fn in a write transaction (BEGIN IMMEDIATE); nested calls use savepoints. Throwing rolls back. */
  transaction<T>(fn: () => T): T;
  /** Runs fn in a transaction that is always rolled back (monitor-only mode). */
  rollbackOnly<T>(fn: () => T): T;
  /** WAL checkpoint at chunk end. */
  checkpoint(): void;
  /**
   * Whether err is the storage itself failing (disk full, file read-only, I/O error): it stops
   * the run, every committed portfolio-date intact, instead of failing one phase.
   */
  isFatalStorageError(err: unknown): boolean;
  /** A failure that stopped a run, in words for its message, with what to do ("the disk is full (SQLITE_FULL). Every committed portfolio-date is intact; free some space, ..."). */
  describeStorageError(err: unknown): string;
}

/** What a failed portfolio-date leaves (g.8): no derived row, as after a first run that failed. */
export interface FailedPortfolioDateStore {
  /**
   * Deletes the portfolio-date's derived rows (marks, snapshot, analytics) and points the lots'
   * mark cache and the portfolio's equity balance at what remains. Returns whether a row was deleted.
   */
  discardPortfolioDate(portfolioId: string, d: IsoDate, nowIso: string): boolean;
}

export interface EngineStore
  extends TransactionRunner,
    FailedPortfolioDateStore,
    ReferenceStore,
    PriceStore,
    MarkStore,
    SnapshotStore,
    TagStore,
    AnalyticsStore,
    TrackingStore,
    LockStore,
    HistoryStore {}
