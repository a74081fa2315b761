/**
 * The import report (SPEC.md j.7 "Report", m.15): source facts, per-table counts (read,
 * imported, skipped by reason, columns skipped, lossy values and values that could not be
 * converted, each with up to 20 examples), tables skipped, post-steps, duration and the
 * resulting file. Printed by the hosts, saved with --report, stored in maintenance_log.
 */
import type { StaleSummary } from '../csv-transfer/import-staleness';
import type { DumpFacts } from './dump-model';

export const MAX_EXAMPLES = 20;

export interface ValueExample {
  /** The row's key (its id or natural key), or `row N`. */
  readonly row: string;
  readonly column: string;
  readonly value: string;
  readonly detail?: string;
}

export interface TableImportReport {
  readonly table: string;
  /** The dump relations read into it (partitions keep their own names). */
  readonly sources: string[];
  rowsRead: number;
  imported: number;
  skipped: Record<string, number>;
  skippedExamples: { row: string; reason: string; detail?: string }[];
  /** Dump columns batchdesk does not keep (reported once per table). */
  columnsSkipped: string[];
  /** Our columns the dump lacks, filled with defaults or derived values. */
  columnsDefaulted: string[];
  lossy: { count: number; examples: ValueExample[] };
  /** Values that became null with a warning (NaN, infinities, dates out of range). */
  nulled: { count: number; examples: ValueExample[] };
  /** Values that could not be converted (their rows are skipped). */
  unconvertible: { count: number; examples: ValueExample[] };
  /** Rule-specific counts: symbols canonicalised, classes filled, duplicates dropped … */
  changes: Record<string, number>;
  changeExamples: { row: string; change: string }[];
}

export interface SkippedTable {
  readonly table: string;
  readonly reason: 'not_in_batchdesk' | 'other_schema' | 'never_imported';
  readonly rows: null;
}

export interface ImportReport {
  readonly source: string;
  readonly format: DumpFacts['format'];
  readonly wrapper: DumpFacts['wrapper'];
  readonly archiveVersion: string | null;
  readonly compression: DumpFacts['compression'];
  readonly encoding: string;
  readonly serverVersion: string | null;
  readonly pgDumpVersion: string | null;
  readonly databaseName: string | null;
  readonly mode: 'new' | 'replace' | 'merge';
  readonly onConflict: 'skip' | 'replace' | null;
  readonly schema: string;
  readonly startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  readonly tables: TableImportReport[];
  readonly tablesSkipped: SkippedTable[];
  postSteps: {
    orphansDeleted: Record<string, number>;
    initialEquitySet: number;
    baselinesSet: number;
    marksBootstrapped: { portfolio: string; date: string; marks: number; missing: number }[];
    factorsSeeded: number | null;
    scenariosSeeded: number | null;
    integrityCheck: string | null;
    /** --merge --on-conflict replace: processed dates that read a replaced close, mark, snapshot, profile, scenario or factor, stale now; null otherwise. */
    stale: StaleSummary | null;
  };
  warnings: string[];
  resultFile: string | null;
  /** Milliseconds per phase: openMs, loadMs, indexesMs (new files), postStepsMs, integrityCheckMs. */
  readonly timings: Record<string, number>;
  readonly note: string;
  /** --merge: what the merge does with rows that exist already (MERGE_RULE); null otherwise. */
  readonly mergeRule: string | null;
}

export const IMPORT_NOTE =
  "Imported derived rows follow the reference system's rules (cash floored at 0, realized P&L counted twice, options unpriced); `batchdesk rebuild` recomputes them with batchdesk's rules.";

export const MERGE_RULE =
  'the merge inserts the rows the database lacks; existing rows (same id or natural key) are skipped, or with --on-conflict replace updated, ' +
  "but their locally derived columns (portfolios.equity_balance, the positions' mark cache, users.user_key) are never overwritten, a replace never points a stored row at a missing parent (skipped as missing parent), " +
  'and the mark bootstrap leaves a portfolio-date that has marks alone; ' +
  "the dump's rows that point at a row matched by natural key under another id (a portfolio by its account, a scenario, a factor, a user) are re-pointed to the existing id (counted as repointed to existing); " +
  'duplicates among the rows the dump wrote keep the newest created_at (stress_test_results, position_interest_rate_betas); ' +
  'in other tables a dump row that repeats a key of a row the dump wrote is skipped as duplicate in dump (--strict: the import fails); ' +
  'existing batch_run_tracking and batch_run_history rows describe local runs and are never replaced, whatever --on-conflict says (skipped as local bookkeeping kept).';

export function newTableReport(table: string): TableImportReport {
  return {
    table,
    sources: [],
    rowsRead: 0,
    imported: 0,
    skipped: {},
    skippedExamples: [],
    columnsSkipped: [],
    columnsDefaulted: [],
    lossy: { count: 0, examples: [] },
    nulled: { count: 0, examples: [] },
    unconvertible: { count: 0, examples: [] },
    changes: {},
    changeExamples: [],
  };
}

export function noteSkip(t: TableImportReport, row: string, reason: string, detail?: string): void {
  t.skipped[reason] = (t.skipped[reason] ?? 0) + 1;
  if (t.skippedExamples.length < MAX_EXAMPLES) t.skippedExamples.push(detail === undefined ? { row, reason } : { row, reason, detail });
}

export function noteChange(t: TableImportReport, row: string, kind: string, change: string): void {
  t.changes[kind] = (t.changes[kind] ?? 0) + 1;
  if (t.changeExamples.length < MAX_EXAMPLES) t.changeExamples.push({ row, change });
}

export function noteValue(bucket: { count: number; examples: ValueExample[] }, ex: ValueExample): void {
  bucket.count++;
  if (bucket.examples.length < MAX_EXAMPLES) bucket.examples.push(ex);
}

/** Human-readable summary (the CLI prints it; --report saves the JSON). */
export function formatImportReport(r: ImportReport): string {
  const lines: string[] = [];
  lines.push(`import of ${r.source}`);
  lines.push(
    `  format ${r.format}${r.wrapper ? ` (wrapped in ${r.wrapper})` : ''}${r.archiveVersion ? `, archive ${r.archiveVersion}` : ''}, compression ${r.compression}, encoding ${r.encoding}`,
  );
  lines.push(`  server ${r.serverVersion ?? 'unknown'}, pg_dump ${r.pgDumpVersion ?? 'unknown'}${r.databaseName ? `, database ${r.databaseName}` : ''}`);
  for (const t of r.tables) {
    const skipped = Object.entries(t.skipped).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`  ${t.table}: read ${t.rowsRead}, imported ${t.imported}${skipped ? `, skipped ${skipped}` : ''}`);
    if (t.columnsSkipped.length) lines.push(`    columns not kept: ${t.columnsSkipped.join(', ')}`);
    if (t.columnsDefaulted.length) lines.push(`    columns filled with defaults: ${t.columnsDefaulted.join(', ')}`);
    if (t.lossy.count) lines.push(`    lossy values: ${t.lossy.count} (e.g. ${t.lossy.examples.slice(0, 3).map((e) => `${e.row} ${e.column}=${e.value}`).join('; ')})`);
    if (t.nulled.count) lines.push(`    values stored as null: ${t.nulled.count}`);
    if (t.unconvertible.count) {
      lines.push(`    values that could not be converted (their rows are skipped): ${t.unconvertible.count} (e.g. ${t.unconvertible.examples.slice(0, 3).map((e) => `${e.row} ${e.column}=${e.value}`).join('; ')})`);
    }
    for (const [k, v] of Object.entries(t.changes)) lines.push(`    ${k.replace(/_/g, ' ')}: ${v}`);
  }
  if (r.tablesSkipped.length) lines.push(`  tables skipped: ${r.tablesSkipped.map((t) => `${t.table} (${t.reason.replace(/_/g, ' ')})`).join(', ')}`);
  const orphans = Object.entries(r.postSteps.orphansDeleted);
  if (orphans.length) {
    const examples = r.tables.flatMap((t) => t.skippedExamples.filter((e) => e.reason === 'orphan').map((e) => `${t.table} ${e.row} (${e.detail ?? 'a missing parent'})`));
    lines.push(`  orphan rows deleted: ${orphans.map(([k, v]) => `${k} ${v}`).join(', ')}${examples.length ? `; e.g. ${examples.slice(0, 3).join('; ')}` : ''}`);
  }
  for (const m of r.postSteps.marksBootstrapped) lines.push(`  bootstrap marks: portfolio ${m.portfolio} on ${m.date}: ${m.marks} lots (${m.missing} without a price)`);
  const stale = r.postSteps.stale;
  if (stale && stale.dates > 0) {
    lines.push(`  stale: ${stale.dates} processed date(s) from ${stale.first} to ${stale.last} read a replaced close, mark, snapshot, profile, scenario or factor; \`batchdesk run --retry-failed-phases\` recomputes them`);
  }
  lines.push(`  integrity check: ${r.postSteps.integrityCheck ?? 'not run'}`);
  if (r.mergeRule) lines.push(`  merge rule: ${r.mergeRule}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  const phases = Object.entries(r.timings ?? {})
    .map(([k, ms]) => `${k.replace(/Ms$/, '').replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)} ${(ms / 1000).toFixed(1)}`)
    .join(', ');
  if (r.durationMs !== null) lines.push(`  duration ${(r.durationMs / 1000).toFixed(1)} s${phases ? ` (${phases})` : ''}${r.resultFile ? `, result ${r.resultFile}` : ''}`);
  lines.push(`  note: ${r.note}`);
  return lines.join('\n');
}

export interface PlannedTable {
  readonly source: string;
  readonly target: string;
  readonly dataKind: 'copy' | 'insert';
  /** Dump columns batchdesk does not keep. */
  readonly columnsSkipped: string[];
  /** Our columns the dump lacks (defaults or derived values). */
  readonly columnsMissing: string[];
  /** Each mapped column's conversion: the dump's PostgreSQL type to our SQLite type. */
  readonly conversions: { column: string; from: string; to: string }[];
  /** Size of the table's data in the dump, when the format records it. */
  readonly dataBytes: number | null;
  /** Rows in the dump (before the table rules), when they were counted. */
  readonly rows: number | null;
}

export interface DumpImportPlan {
  readonly facts: DumpFacts;
  readonly schema: string;
  readonly tables: PlannedTable[];
  readonly tablesSkipped: SkippedTable[];
}

/** How the import converts the PostgreSQL types whose conversion is not a plain copy (j.7). */
const CONVERSION_NOTES: Record<string, string> = {
  uuid: ' (lowercase)',
  numeric: ' (round-trip checked, lossy values reported)',
  'timestamp with time zone': ' (UTC, 6 fraction digits)',
  'timestamp without time zone': ' (ISO text)',
  boolean: ' (0/1)',
  date: ' (YYYY-MM-DD; out-of-range dates become null)',
  bigint: ' (beyond 2^53 fails the value)',
  character: ' (right-trimmed)',
};

/** Human-readable --dry-run plan: per table the source, the kind of data, columns and conversions. */
export function formatImportPlan(p: DumpImportPlan): string {
  const f = p.facts;
  const lines: string[] = [];
  lines.push(`import plan of ${f.path} (dry run: nothing is converted or written)`);
  lines.push(
    `  format ${f.format}${f.wrapper ? ` (wrapped in ${f.wrapper})` : ''}${f.archiveVersion ? `, archive ${f.archiveVersion}` : ''}, compression ${f.compression}, encoding ${f.encoding}`,
  );
  lines.push(`  server ${f.serverVersion ?? 'unknown'}, pg_dump ${f.pgDumpVersion ?? 'unknown'}${f.databaseName ? `, database ${f.databaseName}` : ''}; schema ${p.schema}`);
  for (const t of p.tables) {
    const size = t.dataBytes === null ? '' : `, ${t.dataBytes} bytes of data`;
    const rows = t.rows === null ? 'rows not counted' : `${t.rows} row${t.rows === 1 ? '' : 's'} before the table rules`;
    lines.push(`  ${t.source} -> ${t.target}: ${rows} (${t.dataKind === 'copy' ? 'COPY' : 'INSERT'} data${size})`);
    if (t.columnsSkipped.length) lines.push(`    columns not kept: ${t.columnsSkipped.join(', ')}`);
    if (t.columnsMissing.length) lines.push(`    columns filled with defaults or derived: ${t.columnsMissing.join(', ')}`);
    const groups = new Map<string, string[]>();
    for (const c of t.conversions) {
      const key = `${c.from.replace(/\(.*?\)/g, '')} -> ${c.to}${CONVERSION_NOTES[`${c.from.replace(/\(.*?\)/g, '')}`] ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), c.column]);
    }
    for (const [k, cols] of groups) lines.push(`    ${k}: ${cols.join(', ')}`);
  }
  if (p.tables.length === 0) lines.push('  no table maps to batchdesk (--allow-empty given)');
  if (p.tablesSkipped.length) lines.push(`  tables skipped: ${p.tablesSkipped.map((t) => `${t.table} (${t.reason.replace(/_/g, ' ')})`).join(', ')}`);
  for (const w of f.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
