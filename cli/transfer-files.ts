/**
 * Shared by the CSV transfer commands (`prices import|export`, `profiles import|export`):
 * reading the input file and writing the output file, with failures as data/IO errors
 * (exit code 5, SPEC.md k.3) that name the path.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { dataError } from '../core/api/errors';
import { refuseDatabaseOverwrite } from '../db/maintenance/database-paths';
import type { CsvProblem } from '../market-data/csv/csv-problem';
import { formatCsvProblem } from '../market-data/csv/csv-problem';

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

/**
 * Writes through a temporary file in the same directory, so a failed write leaves no half file.
 * Never over a database file: not `database` (the command's --db), its companions, or any file
 * that is a SQLite database (a usage error, exit code 2).
 */
export function writeOutputFile(cwd: string, path: string, text: string, database: string): string {
  const full = resolve(cwd, path);
  refuseDatabaseOverwrite(full, 'the export', [database]);
  const tmp = `${full}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, 'utf8');
    renameSync(tmp, full);
    return full;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw dataError(`cannot write ${full}: ${e.code === 'ENOENT' ? 'the directory does not exist' : e.message}`);
  }
}

/** The refusal of an all-or-nothing import: the first bad row with its line and column. */
export function refusedImport(problem: CsvProblem): Error {
  return dataError(`${formatCsvProblem(problem)}; nothing was imported (fix the row, or pass --skip-bad-rows to import the other rows)`, { problem });
}

/** Lines reporting the rows skipped with --skip-bad-rows (every one). */
export function skippedLines(skipped: readonly CsvProblem[]): string[] {
  return skipped.length === 0 ? [] : [`Skipped ${skipped.length} bad row(s):`, ...skipped.map((p) => `  ${formatCsvProblem(p)}`)];
}
