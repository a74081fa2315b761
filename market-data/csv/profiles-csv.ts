/**
 * `profiles import FILE` / `profiles export` file format (SPEC.md k.2: "profiles import|export
 * does the same for company profiles"). Columns are the company_profiles columns (b.2):
 *
 *   symbol,company_name,sector,industry,exchange,country,market_cap,description,is_etf,is_fund,
 *   beta,pe_ratio,forward_pe,dividend_yield,week_52_high,week_52_low,employees,website,
 *   data_source,last_updated
 *
 * The header names columns in any order and case. Only `symbol` is required; any other must be
 * one of these (an unknown one refuses the file, naming it and the accepted ones). The parse
 * lists the columns the header names (`columns`): a file may carry only some, and the importer
 * then sets only those on a stored profile, keeping the others. In `profile` an absent column
 * reads as empty. Empty text and numbers are null, an empty is_etf/is_fund is false
 * (0/1/true/false accepted), an empty data_source is 'csv', an empty last_updated is null (the
 * importer stamps now). Symbols are stored canonical and must be well formed, as in
 * prices-csv.ts (csv-cells.ts symbolCell). A last_updated may be any ISO 8601 timestamp with a
 * zone, or a date (csv-cells.ts optionalTimestampCell); it is stored in the a.3 form. All or
 * nothing like prices-csv.ts: the first bad row (missing column, a value holding bytes that are
 * not UTF-8, a malformed symbol,
 * non-numeric number, a negative market cap, employees not a whole number >= 0, bad boolean or
 * timestamp, a last_updated after now, a description over 1,000 characters or another text over
 * 200, the same symbol twice) stops the parse with
 * its line and column, unless skipBadRows (but for a quote problem that hides the lines after
 * it, csv-table.ts).
 *
 * Writing gives every column in the order above, rows sorted by symbol, booleans as 0/1,
 * numbers in shortest round-trip form, LF line ends: an export of an import of such a file is
 * the same file.
 */
import { stringify } from 'csv-stringify/sync';
import type { Timestamp } from '../../core/domain/timestamp';
import { PROFILE_DESCRIPTION_MAX_CHARS, type CompanyProfile } from '../../core/ports/market-data';
import { booleanCell, optionalCountCell, optionalNumberCell, optionalPastTimestampCell, optionalTextCell, optionalTimestampCell, symbolCell, type CellResult } from './csv-cells';
import type { CsvProblem } from './csv-problem';
import { checkHeader, RowCells, type CsvParseOptions } from './csv-row-cells';
import { columnIndex, readCsv, type CsvSource } from './csv-table';

export interface ProfileCsvRow {
  readonly profile: CompanyProfile;
  /** company_profiles.last_updated, or null when the file leaves it empty. */
  readonly lastUpdated: Timestamp | null;
}

export const PROFILE_CSV_COLUMNS = [
  'symbol',
  'company_name',
  'sector',
  'industry',
  'exchange',
  'country',
  'market_cap',
  'description',
  'is_etf',
  'is_fund',
  'beta',
  'pe_ratio',
  'forward_pe',
  'dividend_yield',
  'week_52_high',
  'week_52_low',
  'employees',
  'website',
  'data_source',
  'last_updated',
] as const;

export type ProfileColumn = (typeof PROFILE_CSV_COLUMNS)[number];

/** CsvParse of a profiles file, plus the columns its header names (in PROFILE_CSV_COLUMNS order). */
export type ProfilesCsvParse =
  | { readonly ok: true; readonly rows: readonly ProfileCsvRow[]; readonly skipped: readonly CsvProblem[]; readonly columns: readonly ProfileColumn[] }
  | { readonly ok: false; readonly problem: CsvProblem };

/** data_source of imported rows that do not name one. */
export const PROFILE_CSV_DEFAULT_SOURCE = 'csv';

/** Most characters a name, sector, industry, exchange, country, website or data source may have. */
export const PROFILE_TEXT_MAX_CHARS = 200;

function marketCapCell(text: string): CellResult<number | null> {
  const cap = optionalNumberCell(text);
  return !cap.ok || cap.value === null || cap.value >= 0 ? cap : { ok: false, kind: 'bad_number', message: `the market cap must be >= 0, got ${JSON.stringify(text)}` };
}

export interface ProfilesCsvParseOptions extends CsvParseOptions {
  /** Now, in the stored form: a last_updated after it makes the row bad (kind bad_timestamp). Absent: no such check. */
  readonly now?: Timestamp;
}

export async function parseProfilesCsv(source: CsvSource, options: ProfilesCsvParseOptions = {}): Promise<ProfilesCsvParse> {
  const file = options.file ?? null;
  const converters = Object.fromEntries(PROFILE_CSV_COLUMNS.map((c) => [c, converterOf(c, options.now)])) as Record<ProfileColumn, (text: string) => CellResult<unknown>>;
  let header: readonly string[] = [];
  let at = {} as Record<ProfileColumn, number>;
  let columns: readonly ProfileColumn[] = [];
  // Converted in file order so the reported column is the leftmost bad one.
  let order: readonly ProfileColumn[] = [];
  const rows: ProfileCsvRow[] = [];
  const firstLine = new Map<string, number>();
  const read = await readCsv(source, options, {
    header(cells, line) {
      header = cells;
      at = Object.fromEntries(PROFILE_CSV_COLUMNS.map((c) => [c, columnIndex(header, c)])) as Record<ProfileColumn, number>;
      columns = PROFILE_CSV_COLUMNS.filter((c) => at[c] >= 0);
      order = [...columns].sort((a, b) => at[a] - at[b]);
      return checkHeader(header, ['symbol'], line, file, PROFILE_CSV_COLUMNS);
    },
    record(record) {
      const cells = new RowCells(record, header, file);
      const values: Partial<Record<ProfileColumn, unknown>> = {};
      for (const column of order) values[column] = cells.get(at[column], converters[column]);
      cells.checkLength();
      if (cells.problem) return cells.problem;
      const symbol = values.symbol as string;
      const first = firstLine.get(symbol);
      if (first !== undefined) {
        return { file, line: record.line, column: header[at.symbol]!, columnNumber: at.symbol + 1, kind: 'duplicate', message: `${symbol} again (first on line ${first})` };
      }
      firstLine.set(symbol, record.line);
      rows.push(rowOf(values));
      return null;
    },
  });
  return read.ok ? { ok: true, rows, skipped: read.skipped, columns } : { ok: false, problem: read.problem };
}

function converterOf(column: ProfileColumn, now: Timestamp | undefined): (text: string) => CellResult<unknown> {
  switch (column) {
    case 'symbol':
      return symbolCell;
    case 'description':
      return (t) => optionalTextCell(t, 'description', PROFILE_DESCRIPTION_MAX_CHARS);
    case 'is_etf':
    case 'is_fund':
      return booleanCell;
    case 'employees':
      return optionalCountCell;
    case 'last_updated':
      return now === undefined ? optionalTimestampCell : (t) => optionalPastTimestampCell(t, now);
    case 'market_cap':
      return marketCapCell;
    case 'beta':
    case 'pe_ratio':
    case 'forward_pe':
    case 'dividend_yield':
    case 'week_52_high':
    case 'week_52_low':
      return optionalNumberCell;
    default:
      return (t) => optionalTextCell(t, column.replace(/_/g, ' '), PROFILE_TEXT_MAX_CHARS);
  }
}

function rowOf(v: Partial<Record<ProfileColumn, unknown>>): ProfileCsvRow {
  const text = (c: ProfileColumn): string | null => (v[c] as string | null | undefined) ?? null;
  const num = (c: ProfileColumn): number | null => (v[c] as number | null | undefined) ?? null;
  return {
    profile: {
      symbol: v.symbol as string,
      companyName: text('company_name'),
      sector: text('sector'),
      industry: text('industry'),
      exchange: text('exchange'),
      country: text('country'),
      marketCap: num('market_cap'),
      description: text('description'),
      isEtf: (v.is_etf as boolean | undefined) ?? false,
      isFund: (v.is_fund as boolean | undefined) ?? false,
      beta: num('beta'),
      peRatio: num('pe_ratio'),
      forwardPe: num('forward_pe'),
      dividendYield: num('dividend_yield'),
      week52High: num('week_52_high'),
      week52Low: num('week_52_low'),
      employees: num('employees'),
      website: text('website'),
      dataSource: text('data_source') ?? PROFILE_CSV_DEFAULT_SOURCE,
    },
    lastUpdated: (v.last_updated as Timestamp | null | undefined) ?? null,
  };
}

/** The canonical file for these profiles (sorted by symbol). */
export function formatProfilesCsv(rows: Iterable<ProfileCsvRow>): string {
  const sorted = [...rows].sort((a, b) => (a.profile.symbol < b.profile.symbol ? -1 : a.profile.symbol > b.profile.symbol ? 1 : 0));
  const t = (s: string | null): string => s ?? '';
  const n = (x: number | null): string => (x === null ? '' : String(x));
  const b = (x: boolean): string => (x ? '1' : '0');
  return stringify(
    sorted.map(({ profile: p, lastUpdated }) => [
      p.symbol,
      t(p.companyName),
      t(p.sector),
      t(p.industry),
      t(p.exchange),
      t(p.country),
      n(p.marketCap),
      t(p.description),
      b(p.isEtf),
      b(p.isFund),
      n(p.beta),
      n(p.peRatio),
      n(p.forwardPe),
      n(p.dividendYield),
      n(p.week52High),
      n(p.week52Low),
      n(p.employees),
      t(p.website),
      p.dataSource,
      t(lastUpdated),
    ]),
    // Quote cells with edge spaces, which the reader would otherwise trim.
    { header: true, columns: [...PROFILE_CSV_COLUMNS], record_delimiter: '\n', quoted_match: /^\s|\s$/ },
  );
}
