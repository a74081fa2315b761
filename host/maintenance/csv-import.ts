/**
 * The all-or-nothing CSV imports (SPEC.md k.2, e.8): the app's "Add prices from CSV" (the
 * importPrices contract command) calls importPricesFile; `prices import FILE` and `profiles
 * import FILE` call importPricesFileCancellable and importProfilesFileCancellable, which Ctrl-C
 * stops between the parse and the write. Each parses the file and writes it in one transaction
 * with the same halves (the CsvImporters below). Each opens the database (which must exist: a
 * mistyped path must not become a new database holding only the import), takes the maintenance
 * lock (a run in flight read the old data and would record its dates as current: refused with
 * exit code 3), imports, and refuses the whole file on its first bad row unless skipBadRows (a
 * data error, exit code 5, worded once here for every caller).
 */
import { dataError } from '../../core/api/errors';
import { newYorkDate } from '../../core/calendar';
import { formatTimestamp } from '../../core/domain/timestamp';
import { parseEngineSettings } from '../../core/engine/settings';
import type { Clock } from '../../core/ports/clock';
import type { LockHolder } from '../../core/ports/store';
import { parsePricesImport, writePricesImport, type ParsedPrices, type PriceImportSummary } from '../../db/csv-transfer/price-transfer';
import { parseProfilesImport, writeProfilesImport, type ParsedProfiles, type ProfileImportSummary } from '../../db/csv-transfer/profile-transfer';
import { formatCsvProblem, isFileProblem, type CsvProblem } from '../../market-data/csv/csv-problem';
import { openStore, type OpenedDatabase } from '../engine-host';
import { acquireMaintenanceLock, withMaintenanceLock } from './maintenance-lock';
import { stopIfCancelled } from './step-events';

export interface CsvImportRequest {
  /** The database to import into; it must exist. */
  readonly dbPath: string;
  /** The file's text (a BOM is accepted). */
  readonly text: string;
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
}

/**
 * The refusal of an all-or-nothing import: the first bad row with its line and column, and what
 * to do: with `skipBadRowsFlag` (the CLI) it names that flag, else the app's "skip bad rows" checkbox.
 */
export function refusedCsvImport(problem: CsvProblem, skipBadRowsFlag?: string): Error {
  const skip = skipBadRowsFlag ? `run it again with ${skipBadRowsFlag}` : 'skip bad rows';
  const fix = isFileProblem(problem) ? 'fix the header or the file' : `fix the row, or ${skip} to import the others`;
  return dataError(`${formatCsvProblem(problem)}; nothing was imported (${fix})`, { problem });
}

/** What both halves of an import get: the file name named in problems, the bad-row choice and the rows' stamp. */
interface CsvImportCommon {
  readonly file: string;
  readonly skipBadRows: boolean;
  readonly nowIso: string;
}

/** An import in its two halves: reading the text (no database) and writing the rows in ONE transaction. */
interface CsvImporter<P, S> {
  readonly parse: (text: string, common: CsvImportCommon, now: number) => P | { readonly ok: false; readonly problem: CsvProblem };
  readonly write: (opened: OpenedDatabase, parsed: P, common: CsvImportCommon, now: number) => S;
}

/** The request's file parsed, or its refusal thrown (refusedCsvImport). */
function parseOrRefuse<P extends { readonly ok: true }, S>(req: CsvImportRequest, importer: CsvImporter<P, S>, common: CsvImportCommon, now: number): P {
  const parsed = importer.parse(req.text, common, now);
  if (!parsed.ok) throw refusedCsvImport(parsed.problem, req.skipBadRowsFlag);
  return parsed;
}

/** When the import happens: its clock reading, and what both halves get. */
function importMoment(req: CsvImportRequest): { readonly now: number; readonly common: CsvImportCommon } {
  const now = req.clock.now();
  return { now, common: { file: req.fileName, skipBadRows: req.skipBadRows, nowIso: formatTimestamp(now) } };
}

/** The app's import (the importPrices contract command): parse and write in one go under the lock. */
function importCsvFile<P extends { readonly ok: true }, S>(req: CsvImportRequest, importer: CsvImporter<P, S>): S {
  const { now, common } = importMoment(req);
  const opened = openStore(req.dbPath, { mustExist: true });
  try {
    return withMaintenanceLock(opened, 'import', req.holder, req.clock, () => importer.write(opened, parseOrRefuse(req, importer, common, now), common, now));
  } finally {
    opened.close();
  }
}

/**
 * The CLI's import, which Ctrl-C may stop (SPEC.md k.3): parsing is one synchronous stretch in
 * which no signal handler runs, so between the parse and the write the event loop gets a turn
 * and the signal is looked at. Stopped there, nothing was imported (`cancelled`, exit code 130);
 * once begun, the write transaction runs to its end.
 */
async function importCsvFileCancellable<P extends { readonly ok: true }, S>(req: CsvImportRequest, importer: CsvImporter<P, S>, signal: AbortSignal): Promise<S> {
  const { now, common } = importMoment(req);
  const opened = openStore(req.dbPath, { mustExist: true });
  try {
    const lock = acquireMaintenanceLock(opened.db, opened.store, 'import', req.holder, req.clock, opened.path);
    try {
      const parsed = parseOrRefuse(req, importer, common, now);
      await stopIfCancelled(signal, () => `the import of ${req.fileName} was cancelled before anything was written; nothing was imported`);
      return importer.write(opened, parsed, common, now);
    } finally {
      lock.release();
    }
  } finally {
    opened.close();
  }
}

const PRICES: CsvImporter<ParsedPrices, PriceImportSummary> = {
  parse: (text, common, now) => parsePricesImport(text, { ...common, today: newYorkDate(now) }),
  write: (opened, parsed, common, now) =>
    writePricesImport(opened.db, parsed, { ...common, today: newYorkDate(now), jumpThreshold: parseEngineSettings(opened.store.loadSettings())['market_data.jump_threshold'] }),
};

const PROFILES: CsvImporter<ParsedProfiles, ProfileImportSummary> = {
  parse: (text, common) => parseProfilesImport(text, common),
  write: (opened, parsed, common) => writeProfilesImport(opened.db, parsed, common),
};

/** Adds the file's closes to the price cache (jumps judged with the stored market_data.jump_threshold); throws the refusal of a bad file. */
export function importPricesFile(req: CsvImportRequest): PriceImportSummary {
  return importCsvFile(req, PRICES);
}

/** importPricesFile that `signal` stops before the write (importCsvFileCancellable). */
export function importPricesFileCancellable(req: CsvImportRequest, signal: AbortSignal): Promise<PriceImportSummary> {
  return importCsvFileCancellable(req, PRICES, signal);
}

/** Adds the file's company profiles, or updates the columns it carries on stored ones; throws the refusal of a bad file. */
export function importProfilesFile(req: CsvImportRequest): ProfileImportSummary {
  return importCsvFile(req, PROFILES);
}

/** importProfilesFile that `signal` stops before the write (importCsvFileCancellable). */
export function importProfilesFileCancellable(req: CsvImportRequest, signal: AbortSignal): Promise<ProfileImportSummary> {
  return importCsvFileCancellable(req, PROFILES, signal);
}
