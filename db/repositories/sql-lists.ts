/** Placeholders for an IN (...) list; values are always bound, never concatenated. */
export function inList(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
