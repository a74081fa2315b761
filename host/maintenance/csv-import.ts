/**
 * The all-or-nothing CSV imports (SPEC.md k.2, e.8): `prices import FILE`, `profiles import
 * FILE` and the app's "Add prices from CSV" (the importPrices contract command). Each opens the
 * database (which must exist: a mistyped path must not become a new database holding only the
 * import), takes the maintenance lock (a run in flight read the old data and would record its
 * dates as current: refused with exit code 3), reads the file in a stream (csv-table.ts: only
 * the good rows are kept), and writes them in ONE transaction, or refuses the whole file on its
 * first bad row unless skipBadRows (a data error, exit code 5, worded once here for every
 * caller). The request's signal (Ctrl-C) stops the read of the file, is looked at once more
 * before the write, and between the write's batches (db/csv-transfer/batched-transaction.ts):
 * stopped anywhere, the write transaction is rolled back and nothing was imported (`cancelled`,
 * exit code 130). A lock taken over from a killed rebuild closed the gate over its range: the
 * summary's `warnings` say so (takeover-words.ts), which the caller prints.
 */
import { BatchdeskError, dataError } from '../../core/api/errors';
import { newYorkDate } from '../../core/calendar';
import { formatTimestamp } from '../../core/domain/timestamp';
import { parseSettings } from '../../core/engine/settings';
import type { Clock } from '../../core/ports/clock';
import { takeoverWarnings } from '../../core/maintenance/takeover-words';
import type { LockHolder } from '../../core/ports/store';
import { parsePricesImport, writePricesImport, type ParsedPrices, type PriceImportSummary } from '../../db/csv-transfer/price-transfer';
import type { WriteCheckpoint } from '../../db/csv-transfer/batched-transaction';
import { parseProfilesImport, writeProfilesImport, type ParsedProfiles, type ProfileImportSummary } from '../../db/csv-transfer/profile-transfer';
import { formatCsvProblem, isFileProblem, type CsvProblem } from '../../market-data/csv/csv-problem';
import type { CsvSource } from '../../market-data/csv/csv-table';
import { openStore, type OpenedDatabase } from '../engine-host';
import { lockedError } from '../../core/engine/locked-error';
import { acquireMaintenanceLock, activeLockHolder } from './maintenance-lock';
import { stopIfCancelled } from './step-events';

export interface CsvImportRequest {
  /** The database to import into; it must exist. */
  readonly dbPath: string;
  /**
   * The file's bytes (a BOM is accepted): its text (the app's upload), or a stream of the file
   * opened with `signal`, so that Ctrl-C ends a long read or an endless pipe.
   */
  readonly source: CsvSource;
  /** The file name as given, named in problems and refusals. */
  readonly fileName: string;
  readonly skipBadRows: boolean;
  /**
   * How the caller's user asks to skip bad rows, named in the refusal of a bad row: the CLI's
   * flag (`--skip-bad-rows`). Without it the refusal names the app's checkbox, "skip bad rows".
   */
  readonly skipBadRowsFlag?: string;
  /** Who takes the maintenance lock. */
  readonly holder: LockHolder;
  /** Stamps the rows written; today (its New York date, SPEC.md f.3) is the last date a close may carry. */
  readonly clock: Clock;
  /** Stops the import (Ctrl-C) while it reads or writes; nothing is imported then. */
  readonly signal?: AbortSignal;
}

/**
 * The refusal of an all-or-nothing import: the first bad row with its line and column, and what
 * to do, fitted to the problem: a header problem is fixed in the file; a quote problem that
 * hides the lines after it (never closed, or text after the closing quote) refuses the file even
 * when bad rows are skipped, so the advice says why skipping cannot help and to fix the quote;
 * only a bad row is worth skipping: with `skipBadRowsFlag` (the CLI) the advice names that flag,
 * else the app's "skip bad rows" checkbox.
 */
export function refusedCsvImport(problem: CsvProblem, skipBadRowsFlag?: string): Error {
  return dataError(`${formatCsvProblem(problem)}; nothing was imported (${refusalAdvice(problem, skipBadRowsFlag)})`, { problem });
}

/** What to do about the problem that refused a file (see refusedCsvImport); skipping is named only where it helps. */
function refusalAdvice(problem: CsvProblem, skipBadRowsFlag: string | undefined): string {
  const noSkip = 'so skipping bad rows cannot help';
  if (problem.kind === 'unclosed_quote') return `close the quote opened on that line: the rest of the file was read as part of that row, ${noSkip}`;
  if (problem.kind === 'bad_closing_quote') return `a quote problem on line ${problem.line} makes the lines after it unreadable, ${noSkip}: fix the quote`;
  if (isFileProblem(problem)) return 'fix the header or the file';
  return `fix the row, or ${skipBadRowsFlag ? `run it again with ${skipBadRowsFlag}` : 'skip bad rows'} to import the others`;
}

/** What both halves of an import get: the file name named in problems, the bad-row choice and the rows' stamp. */
interface CsvImportCommon {
  readonly file: string;
  readonly skipBadRows: boolean;
  readonly nowIso: string;
}

/**
 * An import in its two halves: reading the file (no database) and writing the rows in ONE
 * transaction, which lets `checkpoint` in between batches (a rejection rolls it back).
 */
interface CsvImporter<P, S> {
  readonly parse: (source: CsvSource, common: CsvImportCommon, now: number) => Promise<P | { readonly ok: false; readonly problem: CsvProblem }>;
  readonly write: (opened: OpenedDatabase, parsed: P, common: CsvImportCommon, now: number, checkpoint: WriteCheckpoint) => Promise<S>;
}

/** An import's summary with what taking the lock did that the user must hear of (a killed rebuild's gate closed), in words; none usually. */
export type CsvImportResult<S> = S & { readonly warnings: readonly string[] };

async function importCsvFile<P extends { readonly ok: true }, S>(req: CsvImportRequest, importer: CsvImporter<P, S>): Promise<CsvImportResult<S>> {
  const now = req.clock.now();
  const common: CsvImportCommon = { file: req.fileName, skipBadRows: req.skipBadRows, nowIso: formatTimestamp(now) };
  const cancelled = () => `the import of ${req.fileName} was cancelled before anything was written; nothing was imported`;
  const opened = openStore(req.dbPath, { mustExist: true });
  try {
    // The file is read before the lock is taken, so a refused file leaves the database as it
    // was, byte for byte; a live holder is named first, before the user waits for the read.
    const busy = activeLockHolder(opened.store, req.clock, opened.path);
    if (busy) throw lockedError(busy);
    const parsed = await importer.parse(req.source, common, now).catch((error: unknown) => {
      throw req.signal?.aborted ? new BatchdeskError('cancelled', cancelled()) : error;
    });
    if (!parsed.ok) throw refusedCsvImport(parsed.problem, req.skipBadRowsFlag);
    await stopIfCancelled(req.signal, cancelled);
    const lock = acquireMaintenanceLock(opened.db, opened.store, 'import', req.holder, req.clock, opened.path);
    try {
      const rolledBack = () => `the import of ${req.fileName} was cancelled while it wrote; what it had written was rolled back, so nothing was imported`;
      const summary = await importer.write(opened, parsed, common, now, () => stopIfCancelled(req.signal, rolledBack));
      return { ...summary, warnings: takeoverWarnings(lock.takeover) };
    } finally {
      lock.release();
    }
  } finally {
    opened.close();
  }
}

const PRICES: CsvImporter<ParsedPrices, PriceImportSummary> = {
  parse: (source, common, now) => parsePricesImport(source, { ...common, today: newYorkDate(now) }),
  write: (opened, parsed, common, now, checkpoint) =>
    writePricesImport(opened.db, parsed, { ...common, today: newYorkDate(now), jumpThreshold: parseSettings(opened.store.loadSettings(), ['market_data.jump_threshold'])['market_data.jump_threshold'] }, checkpoint),
};

const PROFILES: CsvImporter<ParsedProfiles, ProfileImportSummary> = {
  parse: (source, common) => parseProfilesImport(source, common),
  write: (opened, parsed, common, _now, checkpoint) => writeProfilesImport(opened.db, parsed, common, checkpoint),
};

/** Adds the file's closes to the price cache (jumps judged with the stored market_data.jump_threshold); rejects with the refusal of a bad file. */
export function importPricesFile(req: CsvImportRequest): Promise<CsvImportResult<PriceImportSummary>> {
  return importCsvFile(req, PRICES);
}

/** Adds the file's company profiles, or updates the columns it carries on stored ones; rejects with the refusal of a bad file. */
export function importProfilesFile(req: CsvImportRequest): Promise<CsvImportResult<ProfileImportSummary>> {
  return importCsvFile(req, PROFILES);
}
