/**
 * Row-set differences with tolerances (SPEC.md g.12, i.7): rows matched by natural key are
 * added, removed or changed; numeric columns differ when |a − b| exceeds the tolerance of
 * their class (0.01 for money, 1e-6 for ratios: betas, returns, weights, volatilities); text
 * compares exactly and JSON after key sorting (m.12 canonical form). The largest absolute
 * difference of every numeric column is reported even when it is within tolerance.
 */
import { canonicalJsonText, isMoneyColumn, type CanonicalScalar, type JsonColumns, type KeyedRow } from './canonical-form';

export interface Tolerances {
  /** Dollars. */
  readonly money: number;
  /** Absolute, for every non-money number. */
  readonly ratio: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { money: 0.01, ratio: 1e-6 };

export interface ColumnDifference {
  readonly column: string;
  readonly stored: CanonicalScalar;
  readonly computed: CanonicalScalar;
  /** |stored − computed| for two numbers, else null. */
  readonly absDiff: number | null;
}

export interface ChangedRow {
  readonly key: string;
  readonly columns: readonly ColumnDifference[];
}

export interface TableDifference {
  readonly table: string;
  readonly storedRows: number;
  readonly computedRows: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedRow[];
  /** Largest |difference| per numeric column over the matched rows (within tolerance or not). */
  readonly maxAbsDiff: Readonly<Record<string, number>>;
}

/** Differences beyond tolerance between two scalars of one column; null when they match. */
export function compareValues(column: string, a: CanonicalScalar, b: CanonicalScalar, json: JsonColumns, tol: Tolerances): ColumnDifference | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b);
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    const limit = isMoneyColumn(column) ? tol.money : tol.ratio;
    // A small epsilon absorbs the binary representation of the tolerance itself (0.01).
    return d > limit + 1e-12 || Number.isNaN(d) ? { column, stored: a, computed: b, absDiff: d } : null;
  }
  if (typeof a === 'string' && typeof b === 'string' && json.columns.has(column)) {
    return canonicalJsonText(a, json.dropKeys) === canonicalJsonText(b, json.dropKeys) ? null : { column, stored: a, computed: b, absDiff: null };
  }
  return a === b ? null : { column, stored: a, computed: b, absDiff: null };
}

/**
 * Compares the stored rows of a table with the computed (or other) rows, keyed by natural key.
 * `limit` caps the listed keys and changed rows (the counts stay exact through the lengths
 * reported by the caller's totals when it needs them).
 */
export function diffKeyedRows(
  table: string,
  stored: readonly KeyedRow[],
  computed: readonly KeyedRow[],
  json: JsonColumns,
  tol: Tolerances = DEFAULT_TOLERANCES,
): TableDifference {
  const before = new Map(stored.map((r) => [r.key, r.values]));
  const after = new Map(computed.map((r) => [r.key, r.values]));
  const added: string[] = [];
  const removed: string[] = [];
  const changed: ChangedRow[] = [];
  const maxAbsDiff: Record<string, number> = {};
  for (const [key, a] of before) {
    const b = after.get(key);
    if (!b) {
      removed.push(key);
      continue;
    }
    const cols = new Set([...Object.keys(a), ...Object.keys(b)]);
    const diffs: ColumnDifference[] = [];
    for (const c of [...cols].sort()) {
      const va = a[c] ?? null;
      const vb = b[c] ?? null;
      if (typeof va === 'number' && typeof vb === 'number' && Number.isFinite(va) && Number.isFinite(vb)) {
        maxAbsDiff[c] = Math.max(maxAbsDiff[c] ?? 0, Math.abs(va - vb));
      }
      const d = compareValues(c, va, vb, json, tol);
      if (d) diffs.push(d);
    }
    if (diffs.length) changed.push({ key, columns: diffs });
  }
  for (const key of after.keys()) if (!before.has(key)) added.push(key);
  return { table, storedRows: stored.length, computedRows: computed.length, added: added.sort(), removed: removed.sort(), changed: changed.sort((x, y) => (x.key < y.key ? -1 : 1)), maxAbsDiff };
}

/** True when nothing differs beyond tolerance. */
export function isClean(d: TableDifference): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}
