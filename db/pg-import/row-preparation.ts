/**
 * The first half of loading a dump table (SPEC.md j.7): from converted dump rows to the
 * values batchdesk inserts. Columns map by name, values are fitted to our column types,
 * NOT NULL timestamps nothing fills get the import time, the table rule runs, and rows with
 * values that could not be converted or that a rule refuses are skipped and reported (with
 * --strict the first such value fails the import). The result per row is the value list in
 * the order of the table's insert columns.
 *
 * This half needs no database, so the importer runs it in the dump reader thread next to
 * the decoding (worker-dump-reader.ts) and keeps only the inserts in its own thread. Its
 * reporting goes into a per-batch report that the importer merges into the table's report,
 * in the same order whichever thread prepared the batch.
 */
import type { DecodedRow } from './column-converter';
import { DumpError } from './dump-error';
import type { DumpTable } from './dump-model';
import { MAX_EXAMPLES, newTableReport, noteChange, noteSkip, noteValue, type TableImportReport } from './import-report';
import { newRuleMemo, ruleFor, type ImportRow, type TableRule } from './import-table-rules';
import type { TargetTable } from './import-target';
import { coerce, coercionOf, type Coercion } from './target-coercion';
import type { SqliteValue } from './value-issue';

/** How one dump table loads into one of our tables (plain data: it crosses to the reader thread). */
export interface TablePlan {
  readonly target: TargetTable;
  /** The dump relation, `schema.name`. */
  readonly label: string;
  /** Dump columns that map to ours: their position in the dump row and how values are fitted. */
  readonly sources: readonly { readonly from: number; readonly name: string; readonly how: Coercion }[];
  /** Our columns the dump has. */
  readonly present: readonly string[];
  /** NOT NULL timestamp columns nothing else fills: the import time. */
  readonly stamped: readonly string[];
  /** The insert's columns, in order: present, written by the rule, stamped. */
  readonly columns: readonly string[];
  /** Dump columns we do not keep (reported once per table). */
  readonly columnsSkipped: readonly string[];
  /** Our columns filled with defaults or derived values. */
  readonly columnsDefaulted: readonly string[];
}

export function planTableLoad(table: DumpTable, target: TargetTable): TablePlan {
  const byName = new Map(target.columns.map((c) => [c.name, c]));
  const sources: { from: number; name: string; how: Coercion }[] = [];
  const columnsSkipped: string[] = [];
  table.columns.forEach((c, i) => {
    if (byName.has(c.name)) sources.push({ from: i, name: c.name, how: coercionOf(byName.get(c.name)!) });
    else if (!c.generated) columnsSkipped.push(c.name);
  });
  const present = new Set(sources.map((m) => m.name));
  const rule = ruleFor(target.name);
  const written = new Set([...present, ...(rule?.writes ?? [])].filter((c) => byName.has(c)));
  const stamped = target.columns.filter((c) => c.notNull && !c.hasDefault && !written.has(c.name) && /_at$/.test(c.name)).map((c) => c.name);
  for (const c of stamped) written.add(c);
  return {
    target,
    label: `${table.schema}.${table.name}`,
    sources,
    present: [...present],
    stamped,
    columns: target.columns.filter((c) => written.has(c.name)).map((c) => c.name),
    columnsSkipped,
    columnsDefaulted: [...written].filter((c) => !present.has(c)),
  };
}

/** A row ready to insert: values in the order of the plan's columns. */
export interface PreparedRow {
  readonly rowNumber: number;
  readonly values: SqliteValue[];
}

export interface PreparedBatch {
  readonly rows: PreparedRow[];
  /** What preparing this batch reported: rows read, skips, conversions, rule changes. */
  readonly report: TableImportReport;
  /** Dump bytes of the table consumed so far. */
  readonly bytesConsumed: number;
}

/** Prepares the rows of one table, batch by batch (the rule's memo lives across batches). */
export class RowPreparer {
  private readonly rule: TableRule | null;
  private readonly present: ReadonlySet<string>;
  private readonly memo = newRuleMemo();
  private readonly pk: readonly string[];

  constructor(
    private readonly plan: TablePlan,
    private readonly options: { readonly nowIso: string; readonly strict: boolean },
  ) {
    this.rule = ruleFor(plan.target.name);
    this.present = new Set(plan.present);
    this.pk = plan.target.primaryKey;
  }

  prepare(decoded: readonly DecodedRow[]): { rows: PreparedRow[]; report: TableImportReport } {
    const { plan, pk } = this;
    const rep = newTableReport(plan.target.name);
    const out: PreparedRow[] = [];
    let row: ImportRow = {};
    let rowNumber = 0;
    const keyOf = (): string =>
      pk.length > 0 && pk.every((k) => row[k] !== null && row[k] !== undefined) ? pk.map((k) => String(row[k])).join('/') : `row ${rowNumber}`;
    const ctx = { nowIso: this.options.nowIso, present: this.present, report: rep, key: keyOf, memo: this.memo };
    const sources = plan.sources;
    const columns = plan.columns;
    for (const dr of decoded) {
      rep.rowsRead++;
      row = {};
      rowNumber = dr.rowNumber;
      const dv = dr.values;
      for (let k = 0; k < sources.length; k++) {
        const m = sources[k]!;
        row[m.name] = coerce(dv[m.from], m.how);
      }
      if (dr.issues) {
        const key = keyOf();
        for (const is of dr.issues) {
          const ex = { row: key, column: is.column, value: is.raw, detail: is.message };
          if (is.code === 'lossy_numeric') noteValue(rep.lossy, ex);
          else if (is.severity === 'error') noteValue(rep.unconvertible, ex);
          else if (is.code === 'unknown_enum_label') noteChange(rep, key, 'unknown_enum_labels', `${is.column}=${is.raw}`);
          else noteValue(rep.nulled, ex);
        }
        if (dr.hasErrors) {
          const first = dr.issues.find((i) => i.severity === 'error')!;
          if (this.options.strict) {
            throw new DumpError('strict_violation', `--strict: ${plan.label} row ${dr.rowNumber}, column ${first.column}: ${first.message}`, {
              table: plan.label,
              row: dr.rowNumber,
              column: first.column,
            });
          }
          noteSkip(rep, key, 'unconvertible_value', `${first.column}: ${first.message}`);
          continue;
        }
      }
      for (const c of plan.stamped) row[c] = this.options.nowIso;
      const reason = this.rule ? this.rule.apply(row, ctx) : null;
      if (reason !== null) {
        noteSkip(rep, keyOf(), reason);
        continue;
      }
      const values = new Array<SqliteValue>(columns.length);
      for (let k = 0; k < columns.length; k++) values[k] = row[columns[k]!] ?? null;
      out.push({ rowNumber, values });
    }
    return { rows: out, report: rep };
  }
}

function mergeExamples<T>(into: T[], from: readonly T[]): void {
  for (const e of from) {
    if (into.length >= MAX_EXAMPLES) return;
    into.push(e);
  }
}

/** Adds a batch's report to the table's report (counts add up, examples up to the limit). */
export function mergeTableReport(into: TableImportReport, from: TableImportReport): void {
  into.rowsRead += from.rowsRead;
  into.imported += from.imported;
  for (const [k, v] of Object.entries(from.skipped)) into.skipped[k] = (into.skipped[k] ?? 0) + v;
  mergeExamples(into.skippedExamples, from.skippedExamples);
  for (const bucket of ['lossy', 'nulled', 'unconvertible'] as const) {
    into[bucket].count += from[bucket].count;
    mergeExamples(into[bucket].examples, from[bucket].examples);
  }
  for (const [k, v] of Object.entries(from.changes)) into.changes[k] = (into.changes[k] ?? 0) + v;
  mergeExamples(into.changeExamples, from.changeExamples);
}
