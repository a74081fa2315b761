/** Placeholders for an IN (...) list; values are always bound, never concatenated. */
export function inList(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** SQLite's limit on the values one statement binds (SQLITE_MAX_VARIABLE_NUMBER). */
export const MAX_BOUND_VALUES = 32_766;

/** Placeholders for the VALUES of a multi-row INSERT: `rows` tuples of `columns` values, `(?, ?), (?, ?)`. */
export function valueRows(columns: number, rows: number): string {
  const tuple = `(${Array.from({ length: columns }).map(() => '?').join(', ')})`;
  return Array.from({ length: rows }, () => tuple).join(', ');
}
