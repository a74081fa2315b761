/**
 * The all-or-nothing CSV imports (SPEC.md k.2, e.8): `prices import FILE` and the app's "Add
 * prices from CSV" (the importPrices contract command) both call importPricesFile;
 * `profiles import FILE` calls importProfilesFile. Each opens the database (which must exist: a
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
import { importPricesCsv, type PriceImportSummary } from '../../db/csv-transfer/price-transfer';
import { importProfilesCsv, type ProfileImportSummary } from '../../db/csv-transfer/profile-transfer';
import { formatCsvProblem, isFileProblem, type CsvProblem } from '../../market-data/csv/csv-problem';
import { openStore, type OpenedDatabase } from '../engine-host';
import { withMaintenanceLock } from './maintenance-lock';

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

type Imported<S> = { readonly ok: true; readonly summary: S } | { readonly ok: false; readonly problem: CsvProblem };

function importCsvFile<S>(req: CsvImportRequest, importFile: (opened: OpenedDatabase, common: { file: string; skipBadRows: boolean; nowIso: string }, now: number) => Imported<S>): S {
  const now = req.clock.now();
  const opened = openStore(req.dbPath, { mustExist: true });
  try {
    const r = withMaintenanceLock(opened, 'import', req.holder, req.clock, () =>
      importFile(opened, { file: req.fileName, skipBadRows: req.skipBadRows, nowIso: formatTimestamp(now) }, now),
    );
    if (!r.ok) throw refusedCsvImport(r.problem, req.skipBadRowsFlag);
    return r.summary;
  } finally {
    opened.close();
  }
}

/** Adds the file's closes to the price cache (jumps judged with the stored market_data.jump_threshold); throws the refusal of a bad file. */
export function importPricesFile(req: CsvImportRequest): PriceImportSummary {
  return importCsvFile(req, (opened, common, now) =>
    importPricesCsv(opened.db, req.text, { ...common, today: newYorkDate(now), jumpThreshold: parseEngineSettings(opened.store.loadSettings())['market_data.jump_threshold'] }),
  );
}

/** Adds the file's company profiles, or updates the columns it carries on stored ones; throws the refusal of a bad file. */
export function importProfilesFile(req: CsvImportRequest): ProfileImportSummary {
  return importCsvFile(req, (opened, common) => importProfilesCsv(opened.db, req.text, common));
}
