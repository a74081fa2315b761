/**
 * What the engine needs from the database (implemented by db/ over SQLite). All methods
 * are synchronous: better-sqlite3 is synchronous and a write transaction must never contain
 * an await (SPEC.md 0.5). Reads return typed, already-parsed values.
 */
import type { SnapshotValues } from '../calc/snapshot';
import type { IsoDate } from '../domain/iso-date';
import type { LotMark } from '../domain/mark';
import type { EquityChange, Lot, RealizedEvent } from '../domain/portfolio';
import type { CompanyProfile, FetchOutcome, PriceSourceName } from './market-data';

export interface PortfolioRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly isActive: boolean;
  readonly equityBalance: number | null;
  readonly initialEquity: number | null;
}

export interface ProfileRecord {
  readonly symbol: string;
  readonly sector: string | null;
  readonly isEtf: boolean;
  readonly isFund: boolean;
  readonly beta: number | null;
  readonly dataSource: string;
  /** Epoch ms of last_updated. */
  readonly lastUpdatedMs: number;
}

export interface FactorRecord {
  readonly id: string;
  readonly name: string;
}

export interface ScenarioRecord {
  readonly id: string;
  readonly scenarioId: string;
  readonly name: string;
  readonly category: string | null;
  readonly severity: string | null;
  readonly active: boolean;
  readonly shocks: Readonly<Record<string, number>>;
}

export interface ReferenceStore {
  listPortfolios(): PortfolioRecord[];
  loadLots(portfolioIds: readonly string[]): Lot[];
  loadRealizedEvents(portfolioIds: readonly string[]): (RealizedEvent & { readonly portfolioId: string })[];
  loadEquityChanges(portfolioIds: readonly string[]): EquityChange[];
  loadProfiles(): Map<string, ProfileRecord>;
  loadFactors(): FactorRecord[];
  loadScenarios(): ScenarioRecord[];
  /** Raw settings values (JSON-decoded) by key. */
  loadSettings(): Record<string, unknown>;
  setSetting(key: string, value: unknown, nowIso: string): void;
}

export interface StoredPrice {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly close: number;
  readonly jump: boolean;
}

export interface ValidatedQuote {
  readonly date: IsoDate;
  readonly close: number;
  readonly volume: number | null;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly jump: boolean;
}

export interface MergeResult {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Kept the stored close: a flagged jump never replaces a stored valid close (m.13). */
  readonly keptStored: number;
  /** The earliest date whose close (or jump flag) was inserted or replaced; null when none was. */
  readonly earliestChange: IsoDate | null;
}

export interface FetchLogEntry {
  readonly symbol: string;
  readonly provider: PriceSourceName;
  readonly rangeStart: IsoDate;
  readonly rangeEnd: IsoDate;
  readonly requestedAt: string;
  readonly outcome: FetchOutcome;
  readonly rowsReturned: number;
  readonly firstTradeDate: IsoDate | null;
  readonly error: string | null;
  readonly runId: string | null;
}

export interface MissingPriceRow {
  readonly priceDate: IsoDate;
  readonly symbol: string;
  readonly reason: 'no_data' | 'provider_error' | 'rate_limited' | 'stale_beyond_fallback' | 'invalid_price' | 'not_listed_yet';
  readonly resolution: 'fallback' | 'missing';
  readonly fallbackPriceDate: IsoDate | null;
  readonly lastKnownPriceDate: IsoDate | null;
  readonly provider: string | null;
  readonly detail: string | null;
  readonly positionsAffected: number;
  readonly portfoliosAffected: number;
}

export interface PriceStore {
  loadPrices(symbols: readonly string[], start: IsoDate, end: IsoDate): StoredPrice[];
  /** Merge, never purge (SPEC.md e.3, m.13). */
  mergeQuotes(symbol: string, source: PriceSourceName, quotes: readonly ValidatedQuote[], nowIso: string): MergeResult;
  appendFetchLog(entry: FetchLogEntry): void;
  loadFetchLog(symbols: readonly string[]): FetchLogEntry[];
  /**
   * Replaces the missing-price rows of `date` with `rows`, except the rows of `keepSymbols`
   * (symbols only portfolios outside the run's scope need: not this run's to judge).
   */
  replaceMissingPrices(date: IsoDate, rows: readonly MissingPriceRow[], keepSymbols: ReadonlySet<string>, runId: string, nowIso: string): void;
  missingPriceSymbols(date: IsoDate): Set<string>;
  upsertProfile(profile: CompanyProfile, nowIso: string): void;
}

export interface PreviousMarkRecord {
  readonly price: number;
  readonly date: IsoDate;
}

export interface MarkStore {
  /** Every priced mark (non-null price) of these lots, ascending by date (the engine keeps them in memory). */
  loadPricedMarks(lotIds: readonly string[]): Map<string, { dates: IsoDate[]; prices: number[] }>;
  /** Earliest mark_date of the portfolio, or null. */
  earliestMarkDate(portfolioId: string): IsoDate | null;
  loadMarks(portfolioId: string, d: IsoDate): LotMark[];
  hasMarks(portfolioId: string, d: IsoDate): boolean;
  /**
   * Deletes the portfolio-date's marks and writes these; refreshes the positions.mark cache where
   * D >= marked_as_of. Returns whether the marks differ from the stored ones (true when there
   * were none). Marks equal in every value are kept as they are, with the run and time that
   * wrote them: a rewrite that changes nothing leaves what reads them as it was (g.8).
   */
  replaceMarks(portfolioId: string, d: IsoDate, marks: readonly LotMark[], runId: string, nowIso: string): boolean;
}

export interface SnapshotRecord {
  readonly portfolioId: string;
  readonly snapshotDate: IsoDate;
  readonly totalValue: number;
  readonly cashValue: number;
  readonly longValue: number;
  readonly shortValue: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly dailyPnl: number | null;
  readonly cumulativePnl: number | null;
  readonly cumulativePnlRaw: number | null;
  readonly cumulativeRealizedPnl: number | null;
  readonly cumulativeCapitalFlow: number | null;
  readonly equityBalance: number | null;
  readonly numPositions: number;
  readonly isBaseline: boolean;
}

export interface SnapshotStore {
  previousSnapshot(portfolioId: string, d: IsoDate): SnapshotRecord | null;
  snapshotOf(portfolioId: string, d: IsoDate): SnapshotRecord | null;
  latestSnapshotDate(portfolioId: string): IsoDate | null;
  /**
   * Upserts the core columns, keeping the analytics columns of an existing row. Returns whether
   * a core value differs from the stored row's (true when there was none); a row equal in every
   * core value is kept as it is, as replaceMarks keeps equal marks.
   */
  writeSnapshotCore(row: SnapshotValues & { readonly portfolioId: string }, runId: string, nowIso: string): boolean;
  setEquityBalance(portfolioId: string, equity: number, nowIso: string): void;
  /** Snapshot dates after D for the portfolio (to mark them stale). */
  snapshotDatesAfter(portfolioId: string, d: IsoDate): IsoDate[];
}

export interface TagRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly usageCount: number;
}

export interface TagLinkRecord {
  readonly id: string;
  readonly positionId: string;
  readonly tagId: string;
}

export interface TagStore {
  loadUserTags(userId: string): TagRecord[];
  createTag(tag: { id: string; userId: string; name: string; color: string; description: string }, nowIso: string): void;
  loadLinks(positionIds: readonly string[]): TagLinkRecord[];
  addLink(link: TagLinkRecord & { assignedBy: string }, nowIso: string): void;
  removeLink(linkId: string): void;
  adjustUsage(tagId: string, delta: number, nowIso: string): void;
}

export interface TrackingRecord {
  readonly id: string;
  readonly runDate: IsoDate;
  readonly status: string | null;
  readonly runId: string | null;
  readonly phaseStatus: Record<string, unknown> | null;
  readonly metadata: Record<string, unknown> | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly createdAt: string;
  /** Closed as failed when a killed run's lock was taken over (its work rolled back), not by a phase failing. */
  readonly interrupted?: boolean;
}

export interface TrackingWrite {
  readonly runDate: IsoDate;
  readonly status: string;
  readonly runId: string;
  readonly phaseStatus: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly startedAt: string;
  readonly completedAt: string | null;
  readonly legacy: {
    readonly phase1Status: string | null;
    readonly phase2Status: string | null;
    readonly phase3Status: string | null;
    readonly phase1DurationSeconds: number | null;
    readonly phase2DurationSeconds: number | null;
    readonly phase3DurationSeconds: number | null;
    readonly portfoliosProcessed: number | null;
    readonly symbolsFetched: number | null;
    readonly dataCoveragePct: number | null;
    readonly errorMessage: string | null;
  };
}

/** A tracked date that markStale changed, and the phases whose entry it marked stale. */
export interface StaleMarked {
  readonly date: IsoDate;
  readonly phases: readonly string[];
}

/** A date's tracking row as stored, every column (opaque to the engine): what restoreTracking puts back. */
export type TrackingImage = Readonly<Record<string, unknown>>;

export interface TrackingStore {
  loadTracking(d: IsoDate): TrackingRecord | null;
  /** The date's row as stored, or null when the date has none. */
  trackingImage(d: IsoDate): TrackingImage | null;
  /**
   * Puts the date's row back as `image` holds it, or deletes it when `image` is null: a date a
   * cancel reached before any of its portfolios ran is not run (g.10), and keeps its previous row.
   */
  restoreTracking(d: IsoDate, image: TrackingImage | null): void;
  /** Tracking rows in [start, end] (either bound optional), ascending. */
  loadTrackingRange(start: IsoDate | null, end: IsoDate | null): TrackingRecord[];
  /** Upsert by run_date. */
  writeTracking(row: TrackingWrite, nowIso: string): void;
  /**
   * Sets the successful entries of `phases` to `stale` on the tracked `dates` (g.8): the
   * portfolio's entries, or with `portfolioId` null the date-level entries. Returns the dates it
   * changed, each with the phases whose entry it marked.
   */
  markStale(dates: readonly IsoDate[], portfolioId: string | null, phases: readonly string[], nowIso: string): StaleMarked[];
}

/**
 * What holds the run lock. `seed` (seed-demo) is stored as `import` in run_lock, whose kinds
 * SPEC.md b.4 fixes, and told apart by its lock id, `seed-<uuid>` (lock-repository.ts): older
 * versions reading the row see the import they always saw.
 */
export type LockKind = 'run' | 'rebuild' | 'purge' | 'restore' | 'import' | 'seed';
export type LockHolder = 'cli' | 'app' | 'serve';

export interface LockRecord {
  readonly kind: LockKind;
  readonly runId: string | null;
  /** The batch run id of the run holding the lock (its history row's), when the holder is a run that has one. */
  readonly batchRunId: string | null;
  readonly holder: LockHolder;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: string;
  readonly heartbeatAt: string;
  readonly cancelRequested: boolean;
}

/** A rebuild whose process is gone (SPEC.md j.5): what stopped, and the two ways out. */
export interface InterruptedRebuild {
  readonly maintenanceId: number;
  /** When the rebuild started (its maintenance_log row). */
  readonly startedAt: string | null;
  readonly range: { readonly start: string; readonly end: string } | null;
  /** The verified pre-rebuild backup, when the rebuild got that far. */
  readonly backupFile: string | null;
  /** The command that puts the backup back, or null when no backup was made. */
  readonly restoreCommand: string | null;
  /** The command that runs the rebuild again over its range and portfolios, with the options it ran with, or null when its range is unknown. */
  readonly rerunCommand: string | null;
}

/** A change of the regression gate (SPEC.md i.4, m.10), as the `gate_changed` metric reports it. */
export interface GateChange {
  readonly state: 'open' | 'closed';
  readonly reason: string;
}

/**
 * A stale lock taken over (SPEC.md g.9, m.17) and what the takeover cleaned up after its dead
 * holder: the rebuild it left unfinished, closed as failed, and the gate change that made (the
 * gate closed over the rebuild's range), which the taker reports as `gate_changed`.
 */
export interface LockTakeover {
  readonly lock: LockRecord;
  readonly interruptedRebuild: InterruptedRebuild | null;
  readonly gateChange: GateChange | null;
}

export type AcquireResult =
  | { readonly acquired: true; readonly tookOver: LockTakeover | null }
  | { readonly acquired: false; readonly holder: LockRecord };

export interface LockStore {
  readLock(): LockRecord | null;
  /**
   * In one immediate transaction: take the lock when it is free or stale (isStale decides),
   * else report the holder. Taking over a stale lock marks its run interrupted and closes the
   * maintenance it left open; the result says what that cleaned up.
   */
  acquireLock(want: Omit<LockRecord, 'cancelRequested' | 'batchRunId'>, isStale: (held: LockRecord) => boolean, nowIso: string): AcquireResult;
  heartbeat(runId: string | null, nowIso: string): void;
  releaseLock(runId: string | null): void;
  /**
   * In one immediate transaction: when the lock is held and isStale says its holder is gone,
   * delete it and clean up after its holder (as a takeover does) and return what it took over; else null.
   */
  clearStaleLock(isStale: (held: LockRecord) => boolean, nowIso: string): LockTakeover | null;
  /** Sets the cancel request on the lock; with `runId`, only while that run holds it. False when nothing was asked. */
  requestCancel(nowIso: string, runId?: string): boolean;
  isCancelRequested(): boolean;
}

export type RunMode = 'normal' | 'monitor' | 'retry' | 'resume' | 'rebuild';
export type RunStatus = 'running' | 'completed' | 'partial' | 'failed' | 'cancelled' | 'interrupted';

export interface HistoryStart {
  readonly id: string;
  readonly batchRunId: string;
  readonly triggeredBy: string;
  readonly startedAt: string;
  readonly mode: RunMode;
  readonly options: unknown;
  readonly totalJobs: number;
  readonly portfolioId: string | null;
  readonly host: string;
  readonly pid: number;
  readonly appVersion: string;
}

export interface HistoryProgress {
  readonly completedJobs: number;
  readonly failedJobs: number;
  readonly heartbeatAt: string;
  readonly activityLog?: readonly unknown[];
}

export interface HistoryFinish extends HistoryProgress {
  readonly status: RunStatus;
  readonly completedAt: string;
  readonly phaseDurations: Record<string, number>;
  readonly errorSummary: unknown;
  readonly summary: unknown;
}

export interface HistoryRecord {
  readonly id: string;
  readonly batchRunId: string;
  readonly status: string | null;
  readonly mode: string | null;
  readonly options: unknown;
  readonly startedAt: string;
  readonly completedAt: string | null;
  readonly heartbeatAt: string | null;
  /** For a resume: the id of the run it resumed (its options' resumed_run_id, g.11). */
  readonly resumedRunId: string | null;
  /** The batch run id of the resume that continued this run, if one did: the run is then no longer resumable. */
  readonly resumedBy: string | null;
}

export interface HistoryStore {
  startRun(row: HistoryStart): void;
  progressRun(id: string, p: HistoryProgress): void;
  finishRun(id: string, f: HistoryFinish): void;
  /** Marks a run interrupted (stale lock takeover) and its open tracking rows failed. */
  markInterrupted(runId: string, nowIso: string): void;
  /**
   * The latest interrupted or cancelled run that no resume has continued yet; a rebuild's run
   * (mode 'rebuild') only when no other is left (the planner then refuses it, naming the rebuild).
   */
  latestResumable(): HistoryRecord | null;
  getRun(runId: string): HistoryRecord | null;
  pruneHistory(olderThanIso: string): number;
}
