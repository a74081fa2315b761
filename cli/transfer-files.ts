/**
 * Shared by the CSV transfer commands (`prices import|export`, `profiles import|export`):
 * reading the input file and writing the output file, with failures as data/IO errors
 * (exit code 5, SPEC.md k.3) that name the path, and the flow of an all-or-nothing import.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { dataError, EXIT } from '../core/api/errors';
import { newYorkDate } from '../core/calendar';
import type { IsoDate } from '../core/domain/iso-date';
import { formatTimestamp } from '../core/domain/timestamp';
import type { StaleSummary } from '../db/csv-transfer/import-staleness';
import { openStore, type OpenedDatabase } from '../host/engine-host';
import { withMaintenanceLock } from '../host/maintenance/maintenance-lock';
import { systemClock } from '../host/system-ports';
import { formatCsvProblem, isFileProblem, type CsvProblem } from '../market-data/csv/csv-problem';
import { asciiJson, BANNER } from './ascii';
import type { CommandContext } from './command';

/** The file's text (UTF-8; a BOM is left for the CSV reader, which accepts it). */
export function readInputFile(cwd: string, path: string): { text: string; name: string } {
  const full = resolve(cwd, path);
  try {
    return { text: readFileSync(full, 'utf8'), name: basename(full) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw dataError(`cannot read ${full}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message}; nothing was imported`);
  }
}

/** The refusal of an all-or-nothing import: the first bad row with its line and column. */
export function refusedImport(problem: CsvProblem): Error {
  const fix = isFileProblem(problem) ? 'fix the header or the file' : 'fix the row, or pass --skip-bad-rows to import the other rows';
  return dataError(`${formatCsvProblem(problem)}; nothing was imported (${fix})`, { problem });
}

/** The line naming the processed dates an import made stale, and how to recompute them; none when nothing went stale. */
export function staleLines(stale: StaleSummary, what: string, db: string): string[] {
  return stale.dates > 0 ? [`Stale: ${stale.dates} processed date(s) from ${stale.first} to ${stale.last} read ${what} this import changed; \`batchdesk run --retry-failed-phases${db}\` recomputes them`] : [];
}

/** Lines reporting the rows skipped with --skip-bad-rows (every one). */
export function skippedLines(skipped: readonly CsvProblem[]): string[] {
  return skipped.length === 0 ? [] : [`Skipped ${skipped.length} bad row(s):`, ...skipped.map((p) => `  ${formatCsvProblem(p)}`)];
}

export interface CsvImportInput {
  readonly text: string;
  readonly file: string;
  readonly skipBadRows: boolean;
  /** The clock's now, stamped on the rows written. */
  readonly nowIso: string;
  /** Today: the New York date of the same instant (SPEC.md f.3); no close may be dated after it. */
  readonly today: IsoDate;
}

export type CsvImportResult<S> = { readonly ok: true; readonly summary: S } | { readonly ok: false; readonly problem: CsvProblem };

/**
 * `<what> import FILE`: reads the file named by the first positional, imports it into the
 * command's database (which must exist) under the run lock (refused whole on a bad row unless --skip-bad-rows;
 * refused with exit code 3 while a run or maintenance operation holds the lock), then prints the
 * summary as JSON (--json) or as the banner, `report`'s lines and the skipped rows.
 */
export function runCsvImport<S extends { readonly skipped: readonly CsvProblem[] }>(
  ctx: CommandContext,
  command: string,
  importFile: (opened: OpenedDatabase, input: CsvImportInput) => CsvImportResult<S>,
  report: (summary: S) => string[],
): number {
  const { text, name } = readInputFile(ctx.io.cwd, ctx.positionals[0]!);
  const clock = systemClock(ctx.io.env);
  const now = clock.now();
  const nowIso = formatTimestamp(now);
  const today = newYorkDate(now);
  // A missing (or empty) database is refused as every other command refuses it (exit 5, with
  // the seed-demo hint): a mistyped --db must not become a new database holding only the import.
  const opened = openStore(ctx.global.dbPath, { mustExist: true });
  try {
    // A run in flight read the old data and would record its dates as current: refused (exit 3).
    const r = withMaintenanceLock(opened, 'import', 'cli', clock, () => importFile(opened, { text, file: name, skipBadRows: ctx.flags['skip-bad-rows'] === true, nowIso, today }));
    if (!r.ok) throw refusedImport(r.problem);
    const s = r.summary;
    ctx.io.out(
      ctx.flags['json'] ? asciiJson({ file: name, ...s }, 2) : [BANNER, `batchdesk ${command}  ${name}`, BANNER, ...report(s), ...skippedLines(s.skipped)].join('\n'),
    );
    return EXIT.ok;
  } finally {
    opened.close();
  }
}
