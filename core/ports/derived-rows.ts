/**
 * What monitor-only mode (SPEC.md g.12) reads from the database: a portfolio-date's owned
 * rows and a date's date-level rows, in canonical comparable form (m.12), so the engine can
 * read the stored rows before computing and the computed rows before rolling back.
 */
import type { IsoDate } from '../domain/iso-date';
import type { JsonColumns, KeyedRow } from '../validation/canonical-form';

export type RowsByTable = Readonly<Record<string, readonly KeyedRow[]>>;

export interface DerivedRowsReader {
  /** The portfolio-date's rows in every table its phases write (column groups included). */
  portfolioDate(portfolioId: string, d: IsoDate): RowsByTable;
  /** The date-level rows of D (missing_prices, symbol_factor_exposures). */
  dateLevel(d: IsoDate): RowsByTable;
  /** JSON columns of a table, for comparisons. */
  jsonColumns(table: string): JsonColumns;
}

/** Receives the trace documents of `--trace DIR` (the host writes them as files). */
export interface TraceWriter {
  write(relativePath: string, document: unknown): void;
}
