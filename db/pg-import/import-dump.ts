/**
 * The PostgreSQL dump import (SPEC.md j.7, m.15): tables and columns map by name from the
 * dump's schema (default `public`) to ours; the table rules and value conversions apply;
 * post-steps run in the same atomic unit; the report is stored in maintenance_log.
 *
 * Atomicity — a failed import changes nothing:
 * - importIntoNewFile (default, and the first half of --replace): writes `<db>.importing`
 *   with our schema (journal off, synchronous off while loading), runs the post-steps and
 *   checks, switches the file to WAL, closes it and renames it to `<db>` (which must not
 *   exist). With `keepTemp` the finished file is left for the host, which takes the lock,
 *   makes the verified pre-import backup and renames it over the live file (as a restore).
 *   On failure or cancellation the temporary file is deleted.
 * - mergeIntoDatabase (--merge): one transaction on the live database, which the caller
 *   holds the run lock (kind `import`) for; conflicts on the primary key or a natural unique
 *   key follow --on-conflict (skip or replace); any failure rolls everything back.
 *
 * The merge rule (MERGE_RULE, also in the report): a merge inserts the rows the database lacks;
 * a row that exists already (by primary key or natural key) is skipped, or with --on-conflict
 * replace updated from the dump, except its locally derived columns (`portfolios.equity_balance`
 * and the `positions.mark` cache, SPEC.md b.5, and the local handle `users.user_key`), which the
 * merge never writes into an existing row: they belong to the local batch's latest processed
 * date, and to this database. For the same reason the mark bootstrap (post-step 2) leaves a
 * portfolio-date that already has marks alone. A dump row
 * matched to an existing row under another id (a portfolio by its account included) stands for
 * that row: the dump's rows that reference it are re-pointed to the existing id (merged-ids.ts),
 * and the referenced tables are loaded first for that. A replace never points a stored row at
 * a parent that does not exist, and never replaces the local bookkeeping (batch_run_tracking,
 * batch_run_history). Newest-wins applies among the rows the dump wrote (table-writer.ts).
 *
 * --strict fails on the first value or row that cannot be converted or inserted; by default
 * such rows are skipped and reported.
 *
 * Speed (a 1,000,000-row price cache, `npm run bench`): large dumps are read, decompressed
 * and converted in a worker thread while this thread inserts (worker-dump-reader.ts); a new
 * file loads with journal and syncs off in 100,000-row transactions, with its non-unique
 * indexes and most natural-key unique indexes built once after the load (a duplicate key is
 * then resolved as a live index would have: the first row stays, the others are reported);
 * price rows get date-prefixed ids so the primary-key index grows at its end; the per-row
 * work allocates one row object per row; a new file takes ten rows per INSERT statement
 * (table-writer.ts stores the rows).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { formatTimestamp } from '../../core/domain/timestamp';
import { markMergeStaleness, noReplacedInputs, noteReplaced, type ReplacedInputs } from '../csv-transfer/import-staleness';
import { newId } from '../ids';
import { logMaintenance } from '../maintenance/maintenance-log';
import { openDatabase, type SqliteDatabase } from '../open-database';
import { DumpError, throwIfAborted } from './dump-error';
import type { DumpTable } from './dump-model';
import { deferIndexes, rebuildIndex } from './deferred-indexes';
import { bootstrapMarks, deleteOrphans, integrityCheck, setInitialEquity } from './import-post-steps';
import { IMPORT_NOTE, MERGE_RULE, newTableReport, noteChange, noteSkip, noteValue, type DumpImportPlan, type ImportReport, type SkippedTable, type TableImportReport } from './import-report';
import { newRuleMemo, ruleFor, type ImportRow } from './import-table-rules';
import { readTargetTables, schemaHintFor, shippedTargetTables, type TargetTable } from './import-target';
import { coerce, coercionOf } from './target-coercion';
import { RowIssues } from './column-converter';
import { openDump } from './open-dump';
import { MergedIds, parentsFirst } from './merged-ids';
import { rowKey, TableWriter } from './table-writer';
import { openDumpForImport, type DumpRowSource } from './worker-dump-reader';

export type ReferenceSeeder = (db: SqliteDatabase, nowIso: string) => { factorsAdded: number; scenariosAdded: number };

export interface ImportProgress {
  readonly table: string;
  readonly source: string;
  /** Dump bytes of this table consumed so far, and its size when known. */
  readonly bytes: number;
  readonly totalBytes: number | null;
  readonly rows: number;
}

export interface ImportOptions {
  readonly dumpPath: string;
  /** The dump schema whose tables map to ours (default `public`). */
  readonly schema?: string;
  /** The database of a pg_dumpall cluster dump. */
  readonly database?: string;
  readonly strict?: boolean;
  /** Permit a dump with none of our tables (m.15). */
  readonly allowEmpty?: boolean;
  readonly tempDir?: string;
  readonly signal?: AbortSignal;
  /** Timestamps in SPEC.md a.3 form; default the system clock. */
  readonly now?: () => string;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Seeds missing factor definitions and stress scenarios (host/reference-data). */
  readonly seedReferenceData?: ReferenceSeeder;
  /**
   * Read, decompress and convert the dump in a worker thread while this thread inserts:
   * 'auto' (default) does it for dumps of 16 MB and more, where it pays for the thread's
   * start. Falls back to this thread when no worker can be started.
   */
  readonly readInWorker?: boolean | 'auto';
  /** Rows per transaction when loading a new file (default 100,000). */
  readonly transactionRows?: number;
  /** Rows per INSERT statement when loading a new file (default 10; 1 stores row by row). */
  readonly insertGroupRows?: number;
}

const defaultNow = () => formatTimestamp(Date.now());

/** Rows per batch read from the dump. */
const BATCH_ROWS = 5000;
/** Rows per INSERT statement while loading a new file (fewer calls into SQLite: ~25% faster). */
const DEFAULT_GROUP_ROWS = 10;
/** Rows per transaction while loading a new file. */
const DEFAULT_TRANSACTION_ROWS = 100_000;
/** Page cache while loading a new file (KiB): the hot index pages of a large table stay in memory. */
const LOAD_CACHE_KIB = 65_536;

interface LoadState {
  readonly report: ImportReport;
  readonly portfolios: Set<string>;
  readonly snapshotPortfolios: Set<string>;
  /** --merge --on-conflict replace: the inputs of processed dates it replaced (marked stale before the commit). */
  readonly replaced: ReplacedInputs;
}

function emptyReport(reader: DumpRowSource, mode: ImportReport['mode'], onConflict: ImportReport['onConflict'], schema: string, startedAt: string): ImportReport {
  const f = reader.facts;
  return {
    source: f.path,
    format: f.format,
    wrapper: f.wrapper,
    archiveVersion: f.archiveVersion,
    compression: f.compression,
    encoding: f.encoding,
    serverVersion: f.serverVersion,
    pgDumpVersion: f.pgDumpVersion,
    databaseName: f.databaseName,
    mode,
    onConflict,
    schema,
    startedAt,
    completedAt: null,
    durationMs: null,
    tables: [],
    tablesSkipped: [],
    postSteps: { orphansDeleted: {}, initialEquitySet: 0, baselinesSet: 0, marksBootstrapped: [], factorsSeeded: null, scenariosSeeded: null, integrityCheck: null, stale: null },
    warnings: [...f.warnings],
    resultFile: null,
    timings: {},
    note: IMPORT_NOTE,
    mergeRule: mode === 'merge' ? MERGE_RULE : null,
  };
}

/** Which dump tables go where (also the --dry-run plan). */
export function planTables(
  reader: Pick<DumpRowSource, 'tables'>,
  targets: ReadonlyMap<string, TargetTable>,
  schema: string,
): { mapped: { table: DumpTable; target: TargetTable }[]; skipped: SkippedTable[] } {
  const mapped: { table: DumpTable; target: TargetTable }[] = [];
  const skipped = new Map<string, SkippedTable>();
  for (const t of reader.tables()) {
    const name = `${t.target.schema}.${t.target.name}`;
    if (t.target.schema !== schema) {
      skipped.set(name, { table: name, reason: 'other_schema', rows: null });
      continue;
    }
    if (t.target.name === 'run_lock' || t.target.name === 'maintenance_log') {
      skipped.set(name, { table: name, reason: 'never_imported', rows: null });
      continue;
    }
    const target = targets.get(t.target.name);
    if (!target) {
      skipped.set(name, { table: name, reason: 'not_in_batchdesk', rows: null });
      continue;
    }
    mapped.push({ table: t, target });
  }
  return { mapped, skipped: [...skipped.values()] };
}

interface LoadOptions {
  readonly db: SqliteDatabase;
  readonly reader: DumpRowSource;
  readonly targets: ReadonlyMap<string, TargetTable>;
  readonly state: LoadState;
  readonly strict: boolean;
  readonly onConflict: 'skip' | 'replace' | 'fail';
  readonly nowIso: string;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ImportOptions['onProgress'];
  /** Called between batches (new-file mode commits there). */
  readonly betweenBatches: (rows: number) => void;
  readonly schema: string;
  /** Rows per INSERT statement (new file only; 1: row by row). */
  readonly groupRows: number;
  /** --merge: re-points references to rows matched by natural key (the referenced tables load first). */
  readonly mergedIds?: MergedIds;
}

/** Remembers the imported portfolios and the portfolios with imported snapshots (for the post-steps). */
function trackInserted(table: string, state: LoadState): (row: ImportRow) => void {
  if (table === 'portfolios') {
    return (r) => {
      if (typeof r['id'] === 'string') state.portfolios.add(r['id']);
    };
  }
  if (table === 'portfolio_snapshots') {
    return (r) => {
      if (typeof r['portfolio_id'] === 'string') state.snapshotPortfolios.add(r['portfolio_id']);
    };
  }
  return () => {};
}

/** Notes what a merge replaced that processed dates read (markMergeStaleness). */
function trackReplaced(table: string, state: LoadState): ((row: ImportRow) => void) | undefined {
  const r = state.replaced;
  if (table === 'market_data_cache') return (row) => noteReplaced(r.closes, row['symbol'], row['date']);
  if (table === 'position_marks') return (row) => noteReplaced(r.marks, row['portfolio_id'], row['mark_date']);
  if (table === 'portfolio_snapshots') return (row) => noteReplaced(r.snapshots, row['portfolio_id'], row['snapshot_date']);
  if (table === 'company_profiles') {
    return (row) => {
      if (typeof row['symbol'] === 'string') r.profiles.add(row['symbol']);
    };
  }
  if (table === 'stress_test_scenarios' || table === 'factor_definitions') {
    return () => {
      r.analyticsReference = true;
    };
  }
  return undefined;
}

async function loadTables(o: LoadOptions): Promise<void> {
  const { db, reader, state, strict } = o;
  const { mapped, skipped } = planTables(reader, o.targets, o.schema);
  state.report.tablesSkipped.push(...skipped);
  const reports = new Map<string, TableImportReport>();
  for (const { table, target } of o.mergedIds ? parentsFirst(mapped, (m) => m.target) : mapped) {
    throwIfAborted(o.signal);
    let rep = reports.get(target.name);
    if (!rep) {
      rep = newTableReport(target.name);
      reports.set(target.name, rep);
      state.report.tables.push(rep);
    }
    rep.sources.push(`${table.schema}.${table.name}`);
    const byName = new Map(target.columns.map((c) => [c.name, c]));
    const mappedIdx: { from: number; name: string }[] = [];
    table.columns.forEach((c, i) => {
      if (byName.has(c.name)) mappedIdx.push({ from: i, name: c.name });
      else if (!c.generated && !rep!.columnsSkipped.includes(c.name)) rep!.columnsSkipped.push(c.name);
    });
    const present = new Set(mappedIdx.map((m) => m.name));
    const rule = ruleFor(target.name);
    const written = new Set([...present, ...(rule?.writes ?? [])].filter((c) => byName.has(c)));
    // NOT NULL columns without a default that nothing fills: timestamps get the import time.
    const stamped = target.columns.filter((c) => c.notNull && !c.hasDefault && !written.has(c.name) && /_at$/.test(c.name)).map((c) => c.name);
    for (const c of stamped) written.add(c);
    for (const c of written) if (!present.has(c) && !rep.columnsDefaulted.includes(c)) rep.columnsDefaulted.push(c);
    const cols = target.columns.filter((c) => written.has(c.name));
    const label = `${table.schema}.${table.name}`;
    const writer = new TableWriter({
      db,
      target,
      columns: cols,
      report: rep,
      label,
      strict,
      onConflict: o.onConflict,
      groupRows: o.groupRows,
      onInserted: trackInserted(target.name, state),
      ...(o.onConflict === 'replace' && trackReplaced(target.name, state) ? { onReplaced: trackReplaced(target.name, state)! } : {}),
      ...(o.mergedIds ? { mergedIds: o.mergedIds } : {}),
    });
    // The per-row work is kept free of allocations it does not need: one row object, and a
    // rule context shared by every row of the table.
    const sources = mappedIdx.map((m) => ({ from: m.from, name: m.name, how: coercionOf(target.name, byName.get(m.name)!, table.columns[m.from]!.type) }));
    // Values that do not fit our column's type (text in a REAL or date column) are issues as the converters' are.
    const fitIssues = new RowIssues();
    // Every row starts as a copy of one template holding the written columns (null), so all rows
    // share one shape and the per-column stores below update existing properties.
    const template: ImportRow = Object.fromEntries(cols.map((c) => [c.name, null]));
    let row: ImportRow = template;
    let rowNumber = 0;
    const keyOf = (): string => rowKey(target.primaryKey, row, rowNumber);
    const ctx = { nowIso: o.nowIso, present, report: rep, key: keyOf, memo: newRuleMemo() };

    for await (const batch of reader.batches(table, { batchSize: BATCH_ROWS, signal: o.signal })) {
      for (const dr of batch.rows) {
        rep.rowsRead++;
        row = { ...template };
        rowNumber = dr.rowNumber;
        const dv = dr.values;
        fitIssues.reset();
        for (let k = 0; k < sources.length; k++) {
          const m = sources[k]!;
          fitIssues.column = m.name;
          row[m.name] = coerce(dv[m.from], m.how, fitIssues);
        }
        const issues = fitIssues.list === null ? dr.issues : dr.issues === null ? fitIssues.list : [...dr.issues, ...fitIssues.list];
        if (issues) {
          const key = keyOf();
          for (const is of issues) {
            const ex = { row: key, column: is.column, value: is.raw, detail: is.message };
            if (is.code === 'lossy_numeric') noteValue(rep.lossy, ex);
            else if (is.severity === 'error') noteValue(rep.unconvertible, ex);
            else if (is.code === 'unknown_enum_label') noteChange(rep, key, 'unknown_enum_labels', `${is.column}=${is.raw}`);
            else noteValue(rep.nulled, ex);
          }
          if (dr.hasErrors || fitIssues.errors) {
            writer.flush();
            const first = issues.find((i) => i.severity === 'error')!;
            if (strict) {
              throw new DumpError('strict_violation', `--strict: ${label} row ${dr.rowNumber}, column ${first.column}: ${first.message}`, {
                table: label,
                row: dr.rowNumber,
                column: first.column,
              });
            }
            noteSkip(rep, key, 'unconvertible_value', `${first.column}: ${first.message}`);
            continue;
          }
        }
        for (const c of stamped) row[c] = o.nowIso;
        const reason = rule ? rule.apply(row, ctx) : null;
        if (reason !== null) {
          writer.flush();
          noteSkip(rep, keyOf(), reason);
          continue;
        }
        writer.add(row, rowNumber);
      }
      writer.flush();
      o.onProgress?.({ table: target.name, source: label, bytes: batch.bytesConsumed, totalBytes: table.dataBytes, rows: rep.rowsRead });
      o.betweenBatches(batch.rows.length);
    }
  }
}

function runPostSteps(db: SqliteDatabase, state: LoadState, strict: boolean, runId: string, nowIso: string, seed: ReferenceSeeder | undefined): void {
  const ps = state.report.postSteps;
  const orphans = deleteOrphans(db, strict);
  ps.orphansDeleted = {};
  // Rows deleted as orphans no longer count as imported; each is reported with what it pointed at.
  for (const o of orphans) {
    ps.orphansDeleted[o.table] = (ps.orphansDeleted[o.table] ?? 0) + 1;
    const t = state.report.tables.find((x) => x.table === o.table);
    if (!t) continue;
    t.imported -= 1;
    noteSkip(t, o.row, 'orphan', o.detail);
  }
  const existing = (ids: Iterable<string>) => [...ids].filter((id) => db.prepare(`SELECT 1 FROM portfolios WHERE id = ?`).get(id));
  const eq = setInitialEquity(db, existing(state.portfolios));
  ps.initialEquitySet = eq.initialEquitySet;
  ps.baselinesSet = eq.baselinesSet;
  // A merge keeps the marks the local batch computed (the merge rule in the file comment).
  ps.marksBootstrapped = bootstrapMarks(db, existing(state.snapshotPortfolios), runId, nowIso, { keepExistingMarks: state.report.mode === 'merge' });
  if (seed) {
    const s = seed(db, nowIso);
    ps.factorsSeeded = s.factorsAdded;
    ps.scenariosSeeded = s.scenariosAdded;
  } else {
    state.report.warnings.push('missing factor definitions and stress scenarios were not seeded (no seeder given)');
  }
}

/** The way past the refusals of a dump that would import nothing (m.15). */
const ALLOW_EMPTY_ADVICE = 'use --allow-empty to import it anyway, or --schema to pick another schema';

/**
 * Refuses a dump whose batchdesk tables hold no rows at all, as one with none of our tables
 * is refused (m.15 `--allow-empty`): it would write an empty database, over a live one with
 * --replace. `rows` are the rows read (or counted) per mapped table; none mapped is the other
 * refusal's case.
 */
function refuseNoRows(o: Pick<ImportOptions, 'dumpPath' | 'schema' | 'allowEmpty'>, rows: readonly number[]): void {
  if (o.allowEmpty || rows.length === 0 || rows.some((n) => n > 0)) return;
  throw new DumpError('no_batchdesk_rows', `${o.dumpPath} has batchdesk's tables in schema ${o.schema ?? 'public'} but no rows in any of them; ${ALLOW_EMPTY_ADVICE}`);
}

/** Refuses a schema-only dump (also with --allow-empty: there is nothing to import, m.15). */
function refuseNoData(o: Pick<ImportOptions, 'dumpPath'>, reader: Pick<DumpRowSource, 'facts'>): void {
  if (!reader.facts.hasData) throw new DumpError('no_data', `${o.dumpPath}: this dump contains no data (it was made with --schema-only)`);
}

/** Refuses a schema-only dump, and one with none of our tables in the schema unless `allowEmpty` (m.15). */
function refuseNoTables(o: Pick<ImportOptions, 'dumpPath' | 'schema' | 'allowEmpty'>, reader: Pick<DumpRowSource, 'facts' | 'tables'>, targets: ReadonlyMap<string, TargetTable>): void {
  const schema = o.schema ?? 'public';
  refuseNoData(o, reader);
  if (!o.allowEmpty && planTables(reader, targets, schema).mapped.length === 0) {
    throw new DumpError('no_batchdesk_tables', `${o.dumpPath} has none of batchdesk's tables in schema ${schema}; ${ALLOW_EMPTY_ADVICE}`);
  }
}

/**
 * The refusals of a dump that would import nothing (schema only, none of our tables, no rows
 * in them; m.15), checked before a host takes the lock of a live database (--replace,
 * --merge), so such a dump leaves the file as it was, byte for byte. Each mapped table is read
 * only up to its first row; a plain dump is scanned once more for its index, a wrapped one
 * unpacked once more. The import itself refuses the same dumps again (a new file).
 */
export async function refuseDumpImportingNothing(o: Pick<ImportOptions, 'dumpPath' | 'schema' | 'database' | 'tempDir' | 'signal' | 'allowEmpty'>): Promise<void> {
  const targets = shippedTargetTables();
  const schema = o.schema ?? 'public';
  const reader = await openDump(o.dumpPath, { database: o.database, tempDir: o.tempDir, signal: o.signal, schemaHint: schemaHintFor(targets, schema) });
  try {
    refuseNoTables(o, reader, targets);
    if (o.allowEmpty) return;
    for (const { table } of planTables(reader, targets, schema).mapped) {
      for await (const b of reader.textBatches(table, { batchSize: 1, signal: o.signal })) if (b.rows.length > 0) return;
    }
    refuseNoRows(o, [0]);
  } finally {
    await reader.close();
  }
}

async function openForImport(o: ImportOptions, targets: ReadonlyMap<string, TargetTable>): Promise<DumpRowSource> {
  const schema = o.schema ?? 'public';
  const reader = await openDumpForImport({
    path: o.dumpPath,
    schema,
    ...(o.database ? { database: o.database } : {}),
    ...(o.tempDir ? { tempDir: o.tempDir } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    inWorker: o.readInWorker ?? 'auto',
  });
  try {
    refuseNoTables(o, reader, targets);
    return reader;
  } catch (e) {
    await reader.close();
    throw e;
  }
}

/** Milliseconds since the previous lap (the report's phase timings). */
function phaseClock(): { lap(): number } {
  let last = performance.now();
  return {
    lap() {
      const t = performance.now();
      const ms = Math.round(t - last);
      last = t;
      return ms;
    },
  };
}

function finish(report: ImportReport, now: () => string, t0: number): void {
  report.completedAt = now();
  report.durationMs = Math.round(performance.now() - t0);
}

/**
 * Imports into a fresh database file (see the file comment). Returns the report and the
 * path of the finished file: `targetPath`, or with `keepTemp` the `.importing` file.
 */
export async function importIntoNewFile(o: ImportOptions & { readonly targetPath: string; readonly keepTemp?: boolean }): Promise<{ report: ImportReport; path: string }> {
  const now = o.now ?? defaultNow;
  const t0 = performance.now();
  const startedAt = now();
  if (!o.keepTemp && existsSync(o.targetPath)) {
    throw new DumpError('target_exists', `${o.targetPath} already exists; import into a new file, or use --replace or --merge`);
  }
  const tmp = `${o.targetPath}.importing`;
  const removeTmp = () => {
    for (const s of ['', '-wal', '-shm', '-journal']) rmSync(tmp + s, { force: true });
  };
  removeTmp();
  const reader = await openForImport(o, shippedTargetTables());
  let db: SqliteDatabase | null = null;
  try {
    const clock = phaseClock();
    db = openDatabase(tmp);
    // Nobody else sees this file until it is renamed: no journal, no syncs while loading (j.7).
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
    // Index builds sort every row: past the page cache's worth, SQLite's sorter spills to
    // temporary files, which must be files here, not memory, or the import's memory grows with
    // the dump (+90 MB per million price rows measured with temp_store = MEMORY).
    db.pragma('temp_store = FILE');
    const report = emptyReport(reader, o.keepTemp ? 'replace' : 'new', null, o.schema ?? 'public', startedAt);
    const state: LoadState = { report, portfolios: new Set(), snapshotPortfolios: new Set(), replaced: noReplacedInputs() };
    const d = db;
    const every = o.transactionRows ?? DEFAULT_TRANSACTION_ROWS;
    let pending = 0;
    const targets = readTargetTables(d);
    const deferred = deferIndexes(d);
    report.timings['openMs'] = clock.lap();
    d.exec('BEGIN');
    await loadTables({
      db: d,
      reader,
      targets,
      state,
      strict: o.strict ?? false,
      onConflict: 'fail',
      groupRows: o.insertGroupRows ?? DEFAULT_GROUP_ROWS,
      nowIso: startedAt,
      signal: o.signal,
      onProgress: o.onProgress,
      schema: o.schema ?? 'public',
      betweenBatches: (rows) => {
        pending += rows;
        if (pending >= every) {
          d.exec('COMMIT');
          d.exec('BEGIN');
          pending = 0;
        }
      },
    });
    refuseNoRows(o, report.tables.map((t) => t.rowsRead));
    report.timings['loadMs'] = clock.lap();
    for (const ix of deferred) rebuildIndex(d, ix, report, o.strict ?? false, targets.get(ix.table)?.primaryKey ?? []);
    report.timings['indexesMs'] = clock.lap();
    throwIfAborted(o.signal);
    runPostSteps(d, state, o.strict ?? false, `import-${newId()}`, startedAt, o.seedReferenceData);
    d.exec('COMMIT');
    report.timings['postStepsMs'] = clock.lap();
    report.postSteps.integrityCheck = integrityCheck(d);
    report.timings['integrityCheckMs'] = clock.lap();
    if (report.postSteps.integrityCheck !== 'ok') {
      throw new DumpError('bad_copy_row', `the imported database fails integrity_check: ${report.postSteps.integrityCheck.slice(0, 300)}`);
    }
    report.resultFile = o.keepTemp ? tmp : o.targetPath;
    finish(report, now, t0);
    logMaintenance(d, 'import', 'success', report as unknown as Record<string, unknown>, report.startedAt, report.completedAt!);
    d.pragma('journal_mode = WAL');
    d.close();
    db = null;
    if (!o.keepTemp) renameSync(tmp, o.targetPath);
    return { report, path: o.keepTemp ? tmp : o.targetPath };
  } catch (e) {
    if (db) {
      try {
        db.close();
      } catch {
        /* closing a failed connection */
      }
    }
    removeTmp();
    throw e;
  } finally {
    await reader.close();
  }
}

/**
 * Merges a dump into an open database in one transaction (--merge), by the merge rule of the
 * file comment. The caller holds the run lock (kind `import`). Foreign keys are checked when
 * the transaction ends; orphans are deleted and reported first (--strict: the merge fails).
 */
export async function mergeIntoDatabase(
  db: SqliteDatabase,
  o: ImportOptions & { readonly databasePath: string; readonly onConflict?: 'skip' | 'replace' },
): Promise<ImportReport> {
  const now = o.now ?? defaultNow;
  const t0 = performance.now();
  const startedAt = now();
  const targets = readTargetTables(db);
  const reader = await openForImport(o, targets);
  const report = emptyReport(reader, 'merge', o.onConflict ?? 'skip', o.schema ?? 'public', startedAt);
  const state: LoadState = { report, portfolios: new Set(), snapshotPortfolios: new Set(), replaced: noReplacedInputs() };
  const clock = phaseClock();
  db.exec('BEGIN IMMEDIATE');
  try {
    db.pragma('defer_foreign_keys = ON');
    await loadTables({
      db,
      reader,
      targets,
      state,
      strict: o.strict ?? false,
      onConflict: o.onConflict ?? 'skip',
      groupRows: 1,
      nowIso: startedAt,
      signal: o.signal,
      onProgress: o.onProgress,
      schema: o.schema ?? 'public',
      betweenBatches: () => {},
      mergedIds: new MergedIds(targets),
    });
    refuseNoRows(o, report.tables.map((t) => t.rowsRead));
    report.timings['loadMs'] = clock.lap();
    throwIfAborted(o.signal);
    runPostSteps(db, state, o.strict ?? false, `import-${newId()}`, startedAt, o.seedReferenceData);
    // g.8: replaced closes, marks or snapshots of processed dates make what read them stale.
    report.postSteps.stale = markMergeStaleness(db, state.replaced, startedAt);
    report.timings['postStepsMs'] = clock.lap();
    report.postSteps.integrityCheck = integrityCheck(db);
    report.timings['integrityCheckMs'] = clock.lap();
    if (report.postSteps.integrityCheck !== 'ok') throw new DumpError('bad_copy_row', `integrity_check failed: ${report.postSteps.integrityCheck.slice(0, 300)}`);
    report.resultFile = o.databasePath;
    finish(report, now, t0);
    logMaintenance(db, 'import', 'success', report as unknown as Record<string, unknown>, report.startedAt, report.completedAt!);
    db.exec('COMMIT');
    return report;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  } finally {
    await reader.close();
  }
}

/**
 * --dry-run: what would be read and where it would go. With `countRows` each mapped table's
 * data is decoded to count its rows (nothing is converted or written). A dump with none of
 * our tables, or (rows counted) with no rows in them, is refused as the import would refuse
 * it, unless `allowEmpty`.
 */
export async function planDumpImport(o: Pick<ImportOptions, 'dumpPath' | 'schema' | 'database' | 'tempDir' | 'signal' | 'allowEmpty'> & { readonly countRows?: boolean }): Promise<DumpImportPlan> {
  const targets = shippedTargetTables();
  const schema = o.schema ?? 'public';
  const reader = await openDump(o.dumpPath, { database: o.database, tempDir: o.tempDir, signal: o.signal, schemaHint: schemaHintFor(targets, schema) });
  try {
    // The refusals in the import's order: a schema-only dump first, as the import says it.
    refuseNoData(o, reader);
    const plan = planTables(reader, targets, schema);
    if (o.allowEmpty === false && plan.mapped.length === 0) {
      throw new DumpError('no_batchdesk_tables', `${o.dumpPath} has none of batchdesk's tables in schema ${schema}; ${ALLOW_EMPTY_ADVICE}`);
    }
    const rows = new Map<string, number>();
    if (o.countRows) {
      for (const { table } of plan.mapped) {
        let n = 0;
        for await (const b of reader.textBatches(table, { batchSize: 20_000, signal: o.signal })) n += b.rows.length;
        rows.set(table.id, n);
      }
      if (o.allowEmpty === false) refuseNoRows(o, [...rows.values()]);
    }
    return {
      facts: reader.facts,
      schema,
      tables: plan.mapped.map(({ table, target }) => {
        const names = new Set(table.columns.map((c) => c.name));
        const byName = new Map(target.columns.map((c) => [c.name, c]));
        return {
          source: `${table.schema}.${table.name}`,
          target: target.name,
          dataKind: table.dataKind,
          columnsSkipped: table.columns.filter((c) => !byName.has(c.name) && !c.generated).map((c) => c.name),
          columnsMissing: target.columns.filter((c) => !names.has(c.name)).map((c) => c.name),
          conversions: table.columns
            .filter((c) => byName.has(c.name) && !c.generated)
            .map((c) => ({ column: c.name, from: c.type?.raw ?? 'unknown', to: byName.get(c.name)!.type })),
          dataBytes: table.dataBytes,
          rows: rows.get(table.id) ?? null,
        };
      }),
      tablesSkipped: plan.skipped,
    };
  } finally {
    await reader.close();
  }
}
