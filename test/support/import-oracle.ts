/**
 * Value-for-value check of an imported database against PostgreSQL's own text output of the
 * same rows (the oracle files of test/fixtures/pg: `json_build_array(col::text, ...)` per row).
 *
 * The expected SQLite value of every column is derived from the oracle text by this file's own
 * conversions, written independently of db/pg-import from SPEC.md j.7: uuid as lowercase
 * text; numeric, integer, real as the number the decimal text denotes (NaN to null); boolean
 * true/false to 1/0; timestamptz to UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`; date, json, text and
 * enums as written. Columns that a table rule of j.7 owns are checked against the rule's own
 * definition (date-prefixed price ids, canonical symbols, the UTC date of a correlation's
 * timestamp, the tracking status) or, where a post-step computes them, left out and listed.
 */
import Database from 'better-sqlite3';
import { openDump } from '../../db/pg-import/open-dump';
import { readOracle } from './pg-fixtures';

/** Oracle rows the table rules skip (SPEC.md j.7), by table: the row's id and why. */
export const SKIPPED_BY_RULE: Record<string, Record<string, string>> = {
  positions: { 'b2000000-0000-4000-8000-000000000007': 'no entry_date' },
  market_data_cache: { 'e5000000-0000-4000-8000-000000000006': 'close 0 (profile row)', 'e5000000-0000-4000-8000-000000000007': 'close 0 (profile row)' },
  portfolio_snapshots: { 'a8000000-0000-4000-8000-000000000003': 'is_complete = false' },
  position_interest_rate_betas: { 'ab000000-0000-4000-8000-000000000001': 'older duplicate of (position, date)' },
  stress_test_results: { 'ac000000-0000-4000-8000-000000000001': 'older duplicate of (portfolio, scenario, date)' },
};

/** Columns a post-step or a rule computes from other rows: not a conversion of the dump's value. */
export const COMPUTED_COLUMNS: Record<string, readonly string[]> = {
  positions: ['last_price', 'market_value', 'unrealized_pnl', 'updated_at', 'investment_class'], // set with the bootstrap marks (post-step 3); e.5 class fill
  portfolios: ['initial_equity'],
  users: ['user_key'],
};

/** Tables the import tops up from batchdesk's catalog after the load. */
const SEEDED_TABLES = new Set(['factor_definitions', 'stress_test_scenarios']);

function canonicalSymbol(s: string): string {
  return s.trim().toUpperCase().replace(/[./]/g, '-');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2025-07-01 23:59:30.5-04` (PostgreSQL's timestamptz text) as UTC with six fraction digits. */
export function utcText(pg: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(pg);
  if (!m) throw new Error(`not a timestamptz text: ${pg}`);
  const offsetSec = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetSec * 1000;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${(m[7] ?? '').padEnd(6, '0')}Z`;
}

/** The SQLite value batchdesk must store for a PostgreSQL text value of the given type. */
export function expectedValue(text: string | null, base: string): unknown {
  if (text === null) return null;
  if (base === 'uuid') return text.toLowerCase();
  if (base === 'boolean') return text === 'true' || text === 't' ? 1 : 0;
  if (['numeric', 'integer', 'bigint', 'smallint', 'real', 'double precision'].includes(base)) return text === 'NaN' ? null : Number(text);
  if (base === 'timestamp with time zone') return utcText(text);
  return text;
}

function epochDayHex(date: string): string {
  return (Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000).toString(16).padStart(8, '0');
}

/** What one rule-owned column must hold, from the oracle row (null: not checked here). */
function ruleValue(table: string, column: string, row: Record<string, string | null>): { value: unknown } | null {
  if (table === 'market_data_cache' && column === 'id') return { value: `${epochDayHex(row['date']!)}${row['id']!.slice(8)}` };
  if ((table === 'market_data_cache' || table === 'positions') && column === 'symbol') return { value: canonicalSymbol(row['symbol']!) };
  if (table === 'positions' && column === 'underlying_symbol') return { value: row['underlying_symbol'] === null ? null : canonicalSymbol(row['underlying_symbol']) };
  if (table === 'correlation_calculations' && column === 'calculation_date') return { value: utcText(row['calculation_date']!).slice(0, 10) };
  return null;
}

export interface OracleCheck {
  /** Tables compared, with the number of rows compared in each. */
  readonly tables: Record<string, number>;
  /** Values compared. */
  readonly values: number;
}

/**
 * Compares every batchdesk table the dump fills with the oracle rows of the same table.
 * `typesFrom` is a dump that defines the tables (for the PostgreSQL column types).
 */
export async function checkImportAgainstOracle(dbPath: string, oracleDir: string, oracleDb: string, typesFrom: string): Promise<OracleCheck> {
  const reader = await openDump(typesFrom);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const tables: Record<string, number> = {};
  let values = 0;
  try {
    const ours = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    for (const t of reader.tables()) {
      if (t.schema !== 'public' || !ours.has(t.name) || t.name === 'run_lock' || t.name === 'maintenance_log') continue;
      const ourColumns = new Set((db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name));
      const keyOf = (r: Record<string, unknown>) => (t.name === 'market_data_cache' ? `${canonicalSymbol(String(r['symbol']))}|${String(r['date'])}` : t.name === 'company_profiles' ? String(r['symbol']) : String(r['id']));
      const imported = new Map((db.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[]).map((r) => [keyOf(r), r]));
      const oracle = readOracle(oracleDir, oracleDb, t.schema, t.name).map((arr) => Object.fromEntries(t.columns.filter((c) => !c.generated).map((c, i) => [c.name, arr[i] ?? null])) as Record<string, string | null>);
      const skipped = SKIPPED_BY_RULE[t.name] ?? {};
      const computed = new Set(COMPUTED_COLUMNS[t.name] ?? []);
      let compared = 0;
      for (const o of oracle) {
        const got = imported.get(keyOf(o));
        const id = o['id'] ?? o['symbol'] ?? '';
        if (skipped[id!]) {
          if (got && String(got['id']) === o['id']) throw new Error(`${t.name} ${id} should have been skipped (${skipped[id!]})`);
          continue;
        }
        if (!got) throw new Error(`${t.name}: oracle row ${id} was not imported`);
        compared++;
        for (const c of t.columns) {
          if (c.generated || !ourColumns.has(c.name) || computed.has(c.name)) continue;
          const rule = ruleValue(t.name, c.name, o);
          const want = rule ? rule.value : expectedValue(o[c.name] ?? null, c.type?.base ?? 'text');
          const have = got[c.name] ?? null;
          if (!Object.is(have, want) && !(typeof have === 'number' && typeof want === 'number' && have === want)) {
            throw new Error(`${t.name} ${id} ${c.name}: imported ${JSON.stringify(have)}, PostgreSQL says ${JSON.stringify(o[c.name])} (expected ${JSON.stringify(want)})`);
          }
          values++;
        }
      }
      if (compared + Object.keys(skipped).length !== oracle.length) throw new Error(`${t.name}: ${compared} rows compared of ${oracle.length}`);
      // Missing factor definitions and stress scenarios are seeded after the load (post-step 4).
      if (!SEEDED_TABLES.has(t.name) && imported.size !== compared) throw new Error(`${t.name}: ${imported.size} rows imported, ${compared} expected`);
      tables[t.name] = compared;
    }
  } finally {
    db.close();
    await reader.close();
  }
  return { tables, values };
}
