/**
 * `history compare A B` and the compareBaselines contract command (SPEC.md i.7, m.24): baseline
 * file A against another baseline file, or against the database exported on the fly over A's
 * range (B = `db`). Comparing two files opens no database.
 */
import { basename } from 'node:path';
import { BatchdeskError } from '../../core/api/errors';
import { isIsoDate, type IsoDate } from '../../core/domain/iso-date';
import type { Clock } from '../../core/ports/clock';
import { compareBaselines, type Baseline, type BaselineComparison } from '../../core/validation/baseline';
import type { Tolerances } from '../../core/validation/row-diff';
import { openStore } from '../engine-host';
import { exportBaseline, readBaselineFile } from './baseline';

/** The other side of a comparison: a baseline file (absolute path), or the database. */
export type BaselineSide = { readonly file: string } | 'db';

export interface BaselineCompareOptions {
  /** The database B = `db` is exported from (it must exist); not opened for a file B. */
  readonly dbPath: string;
  /** Stamps the exported baseline (B = `db` only). */
  readonly clock: Clock;
  readonly tolerances: Tolerances;
}

/** A date of A's range, which the export over it needs as a real date. */
function rangeDate(aPath: string, field: 'start' | 'end', value: string): IsoDate {
  if (isIsoDate(value)) return value;
  throw new BatchdeskError('data', `${basename(aPath)} is not a batchdesk baseline (range.${field}: expected a real calendar date written as YYYY-MM-DD)`);
}

/** The baseline of the database over `range` (the database's file name recorded in it). */
export function databaseBaseline(dbPath: string, range: { readonly start: IsoDate; readonly end: IsoDate }, clock: Clock): Baseline {
  const opened = openStore(dbPath, { toRead: true });
  try {
    return exportBaseline(opened.db, { start: range.start, end: range.end, databaseName: basename(opened.path), nowMs: clock.now() });
  } finally {
    opened.close();
  }
}

/**
 * Reads baseline A (absolute path), then B (a file, or the database over A's range), and
 * compares them field by field with the tolerances. Throws not_found or data errors for a
 * missing or malformed file, and the database's refusal when B is `db` and it does not exist.
 */
export function compareBaseline(aPath: string, b: BaselineSide, options: BaselineCompareOptions): BaselineComparison {
  const a = readBaselineFile(aPath);
  const other = b === 'db' ? databaseBaseline(options.dbPath, { start: rangeDate(aPath, 'start', a.range.start), end: rangeDate(aPath, 'end', a.range.end) }, options.clock) : readBaselineFile(b.file);
  return compareBaselines(a, other, options.tolerances);
}
