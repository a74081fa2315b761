/**
 * `profiles import FILE` and `profiles export` (SPEC.md k.2 "profiles import|export does the
 * same for company profiles", b.2 company_profiles): the company_profiles columns as CSV
 * (market-data/csv/profiles-csv.ts).
 *
 * Import is all or nothing like `prices import`: the first bad row stops it with its line and
 * column and nothing is written, unless `skipBadRows`. A file may carry only some columns
 * (symbol and any others); the good rows are upserted in ONE transaction:
 * - a new symbol is inserted with the file's columns, the others null (is_etf, is_fund: 0);
 * - a stored profile keeps the columns the file does not carry; when the columns it carries
 *   all equal the stored ones, the row is left alone, data_source and last_updated included
 *   (m.14's "an unchanged value keeps its data_source");
 * - otherwise those columns are updated to the file's values (an empty cell clears the
 *   field), with the file's data_source (absent or empty: 'csv') and last_updated (absent or
 *   empty: now).
 *
 * In the same transaction, the holders' tracked work that read a changed field the engine reads
 * (sector, ETF and fund flags, beta) is marked stale (core/engine/input-staleness.ts).
 *
 * Export writes every profile, sorted by symbol; an export of an import gives the same file.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp, isTimestamp, type Timestamp } from '../../core/domain/timestamp';
import { staleAfterProfileChanges } from '../../core/engine/input-staleness';
import type { CompanyProfile } from '../../core/ports/market-data';
import type { CsvProblem } from '../../market-data/csv/csv-problem';
import { formatProfilesCsv, parseProfilesCsv, PROFILE_CSV_COLUMNS, type ProfileCsvRow, type ProfilesCsvParse } from '../../market-data/csv/profiles-csv';
import type { CsvSource } from '../../market-data/csv/csv-table';
import type { SqliteDatabase } from '../open-database';
import { PROFILE_ENGINE_COLUMNS } from '../repositories/reference-repository';
import { batchedTransaction, type WriteCheckpoint } from './batched-transaction';
import { allLots, markImportStaleness, NOTHING_STALE, type StaleSummary } from './import-staleness';

export interface ProfileImportOptions {
  readonly file: string;
  readonly skipBadRows: boolean;
  readonly nowIso: string;
}

export interface ProfileImportSummary {
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /**
   * Tracked dates whose sector tags or analytics read a profile field this import changed (one
   * the engine reads: PROFILE_ENGINE_COLUMNS) and are stale after it for the holders, marked now or already.
   */
  readonly stale: StaleSummary;
  readonly skipped: readonly CsvProblem[];
}

/** A file parsed without a refusing problem: the profiles to write (and the bad rows skipped). */
export type ParsedProfiles = Extract<ProfilesCsvParse, { ok: true }>;

/** The value columns of a profile: the CSV's columns without its bookkeeping ones. */
const COLUMNS = PROFILE_CSV_COLUMNS.filter((c): c is Exclude<(typeof PROFILE_CSV_COLUMNS)[number], 'data_source' | 'last_updated'> => c !== 'data_source' && c !== 'last_updated');

type StoredProfile = Record<(typeof COLUMNS)[number] | 'data_source' | 'last_updated', unknown>;

/** The profile's values in COLUMNS order, as stored (booleans 0/1). */
function valuesOf(p: CompanyProfile): unknown[] {
  return [
    p.symbol,
    p.companyName,
    p.sector,
    p.industry,
    p.exchange,
    p.country,
    p.marketCap,
    p.description,
    p.isEtf ? 1 : 0,
    p.isFund ? 1 : 0,
    p.beta,
    p.peRatio,
    p.forwardPe,
    p.dividendYield,
    p.week52High,
    p.week52Low,
    p.employees,
    p.website,
  ];
}

/** The file's profiles as an import reads them (no database): every row, or its first bad row (or the bad rows skipped). */
export function parseProfilesImport(source: CsvSource, o: ProfileImportOptions): Promise<ProfilesCsvParse> {
  return parseProfilesCsv(source, { file: o.file, skipBadRows: o.skipBadRows, now: o.nowIso as Timestamp });
}

/**
 * Adds the parsed profiles, or updates the columns the file carries on stored ones, in ONE
 * transaction that lets `checkpoint` in between batches (batched-transaction.ts): a checkpoint
 * that rejects (Ctrl-C) rolls it all back.
 */
export async function writeProfilesImport(db: SqliteDatabase, parsed: ParsedProfiles, o: ProfileImportOptions, checkpoint: WriteCheckpoint): Promise<ProfileImportSummary> {
  const select = db.prepare(`SELECT ${COLUMNS.join(', ')}, data_source, last_updated FROM company_profiles WHERE symbol = ?`);
  const insert = db.prepare(
    `INSERT INTO company_profiles (${COLUMNS.join(', ')}, data_source, last_updated, created_at, updated_at) VALUES (${[...COLUMNS, 'a', 'b', 'c', 'd'].map(() => '?').join(', ')})`,
  );
  const update = db.prepare(`UPDATE company_profiles SET ${COLUMNS.slice(1).map((c) => `${c} = ?`).join(', ')}, data_source = ?, last_updated = ?, updated_at = ? WHERE symbol = ?`);
  const given = new Set<string>(parsed.columns);
  const totals = { inserted: 0, updated: 0, unchanged: 0 };
  const engineRead = PROFILE_ENGINE_COLUMNS.map((c) => COLUMNS.indexOf(c));
  const changed = new Set<string>();
  const stale = await batchedTransaction(db, checkpoint, async (wrote): Promise<StaleSummary> => {
    for (const { profile, lastUpdated } of parsed.rows) {
      await wrote(1);
      const stamp = lastUpdated ?? o.nowIso;
      const cur = select.get(profile.symbol) as StoredProfile | undefined;
      if (!cur) {
        insert.run(...valuesOf(profile), profile.dataSource, stamp, o.nowIso, o.nowIso);
        totals.inserted++;
        changed.add(profile.symbol);
        continue;
      }
      // The row as it would be: the file's values over the stored ones, column by column.
      const fileValues = valuesOf(profile);
      const values = COLUMNS.map((c, i) => (given.has(c) ? fileValues[i] : cur[c]));
      if (COLUMNS.every((c, i) => cur[c] === values[i]) && (lastUpdated === null || cur.last_updated === lastUpdated)) {
        totals.unchanged++;
      } else {
        update.run(...values.slice(1), profile.dataSource, stamp, o.nowIso, profile.symbol);
        totals.updated++;
        if (engineRead.some((i) => cur[COLUMNS[i]!] !== values[i])) changed.add(profile.symbol);
      }
    }
    if (changed.size === 0) return NOTHING_STALE;
    const first = (db.prepare(`SELECT min(run_date) AS d FROM batch_run_tracking`).get() as { d: IsoDate | null }).d;
    return markImportStaleness(db, staleAfterProfileChanges(changed, allLots(db), first), o.nowIso);
  });
  return { rows: parsed.rows.length, ...totals, stale, skipped: parsed.skipped };
}

/** A stored last_updated in the canonical timestamp form, or null when it cannot be read. */
function canonicalTimestamp(value: unknown): Timestamp | null {
  if (typeof value !== 'string' || value === '') return null;
  if (isTimestamp(value)) return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? formatTimestamp(ms) : null;
}

/** The canonical CSV of every stored profile. */
export function exportProfilesCsv(db: SqliteDatabase): { text: string; rows: number } {
  const rows = db.prepare(`SELECT ${COLUMNS.join(', ')}, data_source, last_updated FROM company_profiles ORDER BY symbol`).all() as StoredProfile[];
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const out: ProfileCsvRow[] = rows.map((r) => ({
    profile: {
      symbol: r.symbol as string,
      companyName: text(r.company_name),
      sector: text(r.sector),
      industry: text(r.industry),
      exchange: text(r.exchange),
      country: text(r.country),
      marketCap: num(r.market_cap),
      // b.2 keeps at most 1,000 characters; an older import may hold more.
      description: text(r.description) === null ? null : Array.from(r.description as string).slice(0, 1000).join(''),
      isEtf: r.is_etf === 1,
      isFund: r.is_fund === 1,
      beta: num(r.beta),
      peRatio: num(r.pe_ratio),
      forwardPe: num(r.forward_pe),
      dividendYield: num(r.dividend_yield),
      week52High: num(r.week_52_high),
      week52Low: num(r.week_52_low),
      employees: num(r.employees),
      website: text(r.website),
      dataSource: text(r.data_source) ?? 'csv',
    },
    lastUpdated: canonicalTimestamp(r.last_updated),
  }));
  return { text: formatProfilesCsv(out), rows: out.length };
}
